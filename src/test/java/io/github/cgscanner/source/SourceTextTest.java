package io.github.cgscanner.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTextTest {
  @TempDir Path tmp;

  private static String line(String text, int n) {
    return text.split("\n", -1)[n - 1];
  }

  @Test
  void crlfAndLoneCrKeepTrueLineNumbers() throws Exception {
    Path f = Files.write(tmp.resolve("a.java"), "one\r\ntwo\r\n\r\nfour\rfive\n".getBytes(StandardCharsets.UTF_8));
    String text = SourceText.read(f);
    assertEquals("one\ntwo\n\nfour\nfive\n", text);
    assertEquals("four", line(text, 4));
    assertEquals("five", line(text, 5));
  }

  @Test
  void utf8WithBomIsDecodedAndTheBomDropped() throws Exception {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = "caf\u00e9\n\u2603\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    assertEquals("caf\u00e9\n\u2603\n", SourceText.read(Files.write(tmp.resolve("u.py"), all)));
  }

  @Test
  void invalidUtf8FallsBackToLatin1() throws Exception {
    byte[] latin1 = "// gr\u00fc\u00dfe\r\nint x;\r\n".getBytes(StandardCharsets.ISO_8859_1);
    String text = SourceText.read(Files.write(tmp.resolve("l.c"), latin1));
    assertEquals("// gr\u00fc\u00dfe", line(text, 1));
    assertEquals("int x;", line(text, 2));
  }
}
