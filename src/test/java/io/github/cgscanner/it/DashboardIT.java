package io.github.cgscanner.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.sim.ModelSimulator;
import io.github.cgscanner.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium, against the real jar with a token and the simulator
 * answering slowly enough to watch: upload a zip through the page, see findings stream in without a
 * reload, see the scan complete and the four keys in the cluster panel; a model-written title that is
 * HTML shows as text. Then {@code /metrics} must show every series with values where work happened.
 */
class DashboardIT {
  static final String[] KEYS = {"sk-test-dash-key-zero-000000000", "sk-test-dash-key-one-1111111111",
      "sk-test-dash-key-two-2222222222", "sk-test-dash-key-three-33333333"};
  static final String TOKEN = "dashboard-token-7f3a9c";
  static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  @TempDir static Path tmp;
  static Vertx vertx;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    Http.await(vertx.close(), 10);
  }

  @Test
  void scanThroughTheDashboardThenMetrics() throws Exception {
    ModelSimulator sim = new ModelSimulator(vertx, SimulatorOptions.builder().keys(KEYS).latency(1000, 0.5)
        .hostileTitles().seed(7).build());
    Http.await(sim.start(), 10);
    TestRepo repo = TestRepo.generate(tmp.resolve("repo"), 150, 11);
    // Decoys the review reports and the verification pass (high, the default) rejects: they must show apart.
    DecoyRepo decoys = DecoyRepo.generate(0, 0, 40, 3);
    decoys.files.remove("README.md");
    decoys.writeTo(repo.root);
    Path zip = repo.zip(tmp.resolve("repo.zip"));
    Map<String, String> env = EndToEndIT.keyEnv(sim.baseUrl(), KEYS);
    env.put("SCANNER_API_TOKENS", TOKEN);
    WebDriver driver = null;
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, env, "--no-cluster");
         Http http = new Http(scanner.baseUrl(), TOKEN);
         Http anonymous = new Http(scanner.baseUrl(), null)) {
      assertPageHeaders(anonymous);
      driver = chrome();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
      driver.get(scanner.baseUrl() + "/");
      wait.until(d -> d.findElement(By.id("notice")).getText().contains("token"));

      driver.findElement(By.id("token")).sendKeys(TOKEN);
      driver.findElement(By.id("token-save")).click();
      wait.until(d -> d.findElements(By.cssSelector("#cluster tr.key")).size() == KEYS.length);
      List<String> aliases = driver.findElements(By.cssSelector("#cluster tr.key")).stream()
          .map(e -> e.getAttribute("data-key")).toList();
      assertEquals(List.of("key-0", "key-1", "key-2", "key-3"), aliases);

      driver.findElement(By.cssSelector("input[name=kind][value=archive]")).click();
      driver.findElement(By.id("archive")).sendKeys(zip.toAbsolutePath().toString());
      driver.findElement(By.id("submit-btn")).click();
      wait.until(d -> d.getCurrentUrl().contains("#/scans/"));
      ((JavascriptExecutor) driver).executeScript("window.__sameDocument = true;");

      // Findings arrive while the scan is still running.
      WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(120));
      slow.until(d -> !d.findElements(By.cssSelector("#findings details.finding")).isEmpty());
      String statusEarly = driver.findElement(By.id("scan-status")).getText();
      int early = driver.findElements(By.cssSelector("#findings details.finding")).size();
      assertTrue(statusEarly.equals("scanning") || statusEarly.equals("fetching"),
          "the first findings should show before the scan ends, status was " + statusEarly);
      // The picture for the README: model findings arriving, the progress bar part-way.
      slow.until(d -> !d.findElement(By.id("scan-progress")).getAttribute("value").equals("0")
          || d.findElement(By.id("scan-status")).getText().equals("completed"));
      Files.createDirectories(SCREENSHOT.getParent());
      Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

      double maxUtilization = 0;
      long deadline = System.currentTimeMillis() + 180_000;
      while (!driver.findElement(By.id("scan-status")).getText().equals("completed")) {
        assertTrue(System.currentTimeMillis() < deadline, "scan did not complete in the page");
        maxUtilization = Math.max(maxUtilization, sum(http.get("/metrics").bodyAsString(), "scanner_worker_utilization", ""));
        Thread.sleep(300);
      }
      int total = driver.findElements(By.cssSelector("#findings details.finding")).size();
      assertTrue(total > early, "findings kept arriving live: " + early + " early, " + total + " at the end");
      assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true;"),
          "the page was never reloaded");
      String id = driver.getCurrentUrl().replaceAll(".*#/scans/", "");
      JsonArray apiFindings = http.get("/api/v1/scans/" + id + "/findings").bodyAsJsonObject().getJsonArray("findings");
      long apiRejected = apiFindings.stream().filter(f -> "rejected".equals(((JsonObject) f).getString("state"))).count();
      assertEquals(apiFindings.size() - apiRejected, total, "the page shows every reported finding once");
      assertEquals("(" + total + ")", driver.findElement(By.id("findings-count")).getText());
      assertTrue(apiRejected > 0, "the decoys were rejected");
      assertTrue(driver.findElement(By.id("rejected-box")).isDisplayed(), "rejected findings are shown apart");
      assertEquals(apiRejected, driver.findElements(By.cssSelector("#rejected details.finding")).size());
      assertTrue(driver.findElement(By.id("scan-counts")).getText().contains("verification done: " + apiRejected + " rejected"),
          driver.findElement(By.id("scan-counts")).getText());

      assertHostileTitleIsText(driver);
      assertExpandAndFilter(driver);
      assertTrue(driver.findElement(By.cssSelector("#scan-progress")).getAttribute("value")
          .equals(driver.findElement(By.cssSelector("#scan-progress")).getAttribute("max")), "progress bar full");

      driver.get(scanner.baseUrl() + "/#/");
      // Back on the list, the finished scan shows as finished (the table is refreshed on the way back).
      wait.until(d -> d.findElements(By.cssSelector("#scan-rows tr.scan-row")).size() == 1
          && d.findElement(By.cssSelector("#scan-rows tr.scan-row")).getText().contains("completed"));

      assertTrue(maxUtilization > 0, "utilization was above 0 during the scan");
      assertMetrics(http, anonymous, id);
      assertFalse(scanner.log().contains(TOKEN), "the token reached the log");
      System.out.printf("Dashboard: %d findings (%d when first seen), max utilization %.2f; screenshot %s%n",
          total, early, maxUtilization, SCREENSHOT.toAbsolutePath());
    } finally {
      if (driver != null) driver.quit();
      Http.await(sim.close(), 10);
    }
  }

  private static void assertPageHeaders(Http anonymous) throws Exception {
    for (String path : List.of("/", "/js/main.js", "/css/app.css")) {
      var page = anonymous.get(path);
      assertEquals(200, page.statusCode(), path);
      assertEquals("default-src 'self'", page.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", page.getHeader("X-Content-Type-Options"), path);
    }
    assertTrue(anonymous.get("/").getHeader("Content-Type").startsWith("text/html"));
    assertTrue(anonymous.get("/js/main.js").getHeader("Content-Type").contains("javascript"));
    String html = anonymous.get("/").bodyAsString();
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "no inline script, style or handler: the CSP would block them");
    assertEquals(401, anonymous.get("/api/v1/scans").statusCode());
  }

  private static void assertHostileTitleIsText(WebDriver driver) {
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "no script ran");
    List<WebElement> hostile = driver.findElements(By.cssSelector("#findings .title")).stream()
        .filter(e -> e.getText().equals(SimulatorOptions.HOSTILE_TITLE)).toList();
    assertFalse(hostile.isEmpty(), "the hostile title is shown as text");
    assertTrue(hostile.get(0).isDisplayed());
    assertTrue(driver.findElements(By.cssSelector("#findings img")).isEmpty(), "no element was made from model text");
  }

  private static void assertExpandAndFilter(WebDriver driver) {
    WebElement first = driver.findElement(By.cssSelector("#findings details.finding"));
    WebElement body = first.findElement(By.cssSelector(".finding-body"));
    assertFalse(body.isDisplayed());
    first.findElement(By.tagName("summary")).click();
    assertTrue(body.isDisplayed());
    assertTrue(body.getText().toLowerCase().contains("description"), body.getText());
    assertTrue(first.findElement(By.cssSelector(".where")).getText().matches(".+:\\d+"), "path:line");

    By medium = By.cssSelector("#findings details.finding[data-severity=medium]");
    assertFalse(driver.findElements(medium).isEmpty(), "cross-site scripting findings are medium");
    driver.findElement(By.cssSelector("#severity-filter input[value=medium]")).click();
    assertTrue(driver.findElements(medium).stream().noneMatch(WebElement::isDisplayed), "medium findings filtered out");
    driver.findElement(By.cssSelector("#severity-filter input[value=medium]")).click();
    assertTrue(driver.findElements(medium).stream().allMatch(WebElement::isDisplayed));
  }

  private static void assertMetrics(Http http, Http anonymous, String scanId) throws Exception {
    assertEquals(401, anonymous.get("/metrics").statusCode(), "metrics need the token");
    var response = http.get("/metrics");
    assertEquals(200, response.statusCode());
    String text = response.bodyAsString();
    System.out.println(text.lines().filter(l -> l.startsWith("scanner_")).reduce("", (a, b) -> a + b + "\n"));
    assertFalse(text.contains(scanId), "no scan id in metrics");
    for (String key : KEYS) assertFalse(text.contains(key), "no key in metrics");
    assertFalse(text.contains("/src/"), "no paths in metrics");
    List<String> unlabelled = text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.contains("worker=\"")).toList();
    assertEquals(List.of(), unlabelled, "every sample carries the worker label");
    assertTrue(Pattern.compile("(?m)^vertx_\\w+\\{worker=\"[^\"]+\"").matcher(text).find(), "Vert.x's own series too");

    for (String series : List.of("scanner_worker_utilization", "scanner_scans_running", "scanner_scans_queued",
        "scanner_key_in_flight", "scanner_key_capacity", "scanner_scans_sharded_total",
        "scanner_peer_files_processed_total", "scanner_peer_busy_seconds_total", "scanner_files_failed_total")) {
      assertTrue(Pattern.compile("(?m)^" + series + "\\{[^}]*worker=\"[^\"]+\"").matcher(text).find(), series + " with a worker label");
    }
    for (int i = 0; i < KEYS.length; i++) {
      String key = "key=\"key-" + i + "\"";
      assertTrue(sum(text, "scanner_key_requests_total", key + ".*outcome=\"ok\"|outcome=\"ok\".*" + key) > 0, "ok requests of key-" + i);
      assertTrue(sum(text, "scanner_key_tokens_total", key + ".*type=\"in\"|type=\"in\".*" + key) > 0, "tokens in of key-" + i);
      assertTrue(sum(text, "scanner_key_tokens_total", key + ".*type=\"out\"|type=\"out\".*" + key) > 0, "tokens out of key-" + i);
      assertEquals(1.0, sum(text, "scanner_key_state", key + ".*state=\"healthy\"|state=\"healthy\".*" + key), "key-" + i + " healthy");
      assertTrue(sum(text, "scanner_model_latency_seconds_count", key) > 0, "latency of key-" + i);
    }
    for (String outcome : List.of("rate_limited", "server_error", "timeout", "invalid")) {
      assertTrue(text.contains("outcome=\"" + outcome + "\""), "requests by outcome " + outcome);
    }
    assertTrue(sum(text, "scanner_key_tokens_total", "type=\"cached\"") > 0, "cached tokens");
    assertTrue(sum(text, "scanner_scan_duration_seconds_count", "status=\"completed\"") >= 1, "scan duration");
    assertTrue(sum(text, "scanner_scan_duration_seconds_bucket", "status=\"completed\"") > 0, "scan duration histogram");
    assertTrue(sum(text, "scanner_model_latency_seconds_bucket", "le=\"1.0\"") > 0, "model latency histogram");
    assertTrue(sum(text, "scanner_files_scanned_total", "") > 100, "files scanned");
    assertTrue(sum(text, "scanner_files_skipped_total", "") > 0, "files skipped");
    assertTrue(text.contains("vertx_http_server_requests_total"), "Vert.x HTTP server metrics");
  }

  /** Sum of a series' samples whose labels match {@code labels} (a regex over the label text). */
  static double sum(String text, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    Pattern wanted = Pattern.compile(labels);
    double total = 0;
    while (m.find()) {
      if (wanted.matcher(m.group(1)).find()) total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  private static WebDriver chrome() throws Exception {
    File binary = new File("/usr/bin/chromium");
    File driverBinary = new File("/usr/bin/chromedriver");
    assertTrue(binary.canExecute() && driverBinary.canExecute(),
        "the browser test needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
    System.setProperty("SE_AVOID_STATS", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1440,1000", "--user-data-dir=" + Files.createTempDirectory(tmp, "chrome"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverBinary).build();
    return new ChromeDriver(service, options);
  }
}
