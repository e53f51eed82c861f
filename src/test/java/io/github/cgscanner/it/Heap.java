package io.github.cgscanner.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap of a scanner process in use after a full GC, read with the JDK's own jcmd. */
public final class Heap {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private Heap() {}

  public static long afterGc(ScannerProcess scanner) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    String pid = Long.toString(scanner.process().pid());
    run(jcmd, pid, "GC.run");
    Matcher m = USED.matcher(run(jcmd, pid, "GC.heap_info"));
    if (!m.find()) throw new IllegalStateException("no heap figure from jcmd");
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("jcmd did not answer");
    return out;
  }
}
