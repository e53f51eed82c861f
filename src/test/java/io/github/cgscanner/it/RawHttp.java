package io.github.cgscanner.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** HTTP/1.1 over a plain socket, for requests a well-behaved client library will not send. */
final class RawHttp {
  private RawHttp() {}

  /**
   * Sends {@code head}, then (when {@code chunkedBytes} is set) that many bytes in 64 KiB chunks from
   * another thread, and returns the start of the answer: the server may answer and close before the
   * body is through, which a writing client would only see as a broken pipe.
   */
  static String send(int port, String head, Long chunkedBytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      CompletableFuture<Void> writer = CompletableFuture.completedFuture(null);
      if (chunkedBytes != null) {
        writer = CompletableFuture.runAsync(() -> {
          byte[] chunk = new byte[64 * 1024];
          chunk[0] = 'P';
          chunk[1] = 'K';
          chunk[2] = 3;
          chunk[3] = 4;
          try {
            for (long sent = 0; sent < chunkedBytes; sent += chunk.length) {
              out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
              out.write(chunk);
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException closedByServer) {
            // expected once the server has answered 413
          }
        });
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          answer.write(buf, 0, n);
          if (answer.toString(StandardCharsets.US_ASCII).contains("}}")) break;
        }
      } catch (IOException resetAfterAnswer) {
        // the answer was read before the reset, or the assertion below says it was not
      }
      writer.get(30, TimeUnit.SECONDS);
      return answer.toString(StandardCharsets.US_ASCII);
    }
  }
}
