package io.github.cgscanner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cgscanner.it.Heap;
import io.github.cgscanner.it.Http;
import io.github.cgscanner.it.ScannerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 400 scans of 2,000 findings each through one worker with a 512 MB heap on the {@code memory} store
 * at its default bound (100 finished scans): the worker keeps answering, the heap after GC stays flat
 * once the bound is reached (at 200, 300 and 400 scans), and the newest scans are served whole. ({@code mvn -B -Pbench verify -Dit.test=MemoryStoreBenchIT})
 */
class MemoryStoreBenchIT {
  @TempDir Path tmp;

  @Test
  void fourHundredScansOfTwoThousandFindingsThroughA512MbWorker() throws Exception {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 2000; i++) code.append("eval(input").append(i).append(");\n");
    JsonObject submission = new JsonObject().put("source", new JsonObject().put("files", new JsonArray()
        .add(new JsonObject().put("path", "app/gen.js").put("content", code.toString()))));
    try (ScannerProcess scanner = ScannerProcess.serve(tmp, Map.of(), "--no-cluster");
         Http http = new Http(scanner.baseUrl(), null)) {
      List<String> ids = new ArrayList<>();
      long heapAt200 = 0;
      long started = System.nanoTime();
      System.out.printf("%8s %12s %10s%n", "scans", "heap MB", "seconds");
      for (int i = 1; i <= 400; i++) {
        String id = http.postJson("/api/v1/scans", submission).bodyAsJsonObject().getString("id");
        waitFinished(http, id);
        ids.add(id);
        if (i == 50 || i % 100 == 0) {
          long heap = Heap.afterGc(scanner);
          if (i == 200) heapAt200 = heap;
          System.out.printf("%8d %12d %10.1f%n", i, heap >> 20, (System.nanoTime() - started) / 1e9);
        }
      }
      long heapAt400 = Heap.afterGc(scanner);
      var newest = http.get("/api/v1/scans/" + ids.get(399) + "/findings").bodyAsJsonObject();
      assertEquals(2000, newest.getJsonArray("findings").size());
      System.out.printf("memory store, 400 scans x 2,000 findings, -Xmx512m, bound 100: heap after GC %d MB after 200,"
          + " %d MB after 400 = %.2fx (target <= 1.25x: flat once the bound is reached)%n", heapAt200 >> 20, heapAt400 >> 20,
          (double) heapAt400 / heapAt200);
      assertTrue(heapAt400 <= heapAt200 * 5 / 4, "heap grew from " + heapAt200 + " to " + heapAt400);
    }
  }

  private static void waitFinished(Http http, String id) throws Exception {
    for (int i = 0; i < 600; i++) {
      String status = http.get("/api/v1/scans/" + id).bodyAsJsonObject().getString("status");
      if (Set.of("completed", "failed", "cancelled").contains(status)) return;
      Thread.sleep(50);
    }
    throw new AssertionError("scan " + id + " did not finish");
  }
}
