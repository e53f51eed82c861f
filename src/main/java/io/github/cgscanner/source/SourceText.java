package io.github.cgscanner.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a source file as text whose N-th line is the file's N-th line: UTF-8 when the bytes are valid
 * UTF-8 (BOM dropped), otherwise ISO-8859-1 (which maps every byte, so nothing fails); CRLF and lone CR
 * become LF.
 */
public final class SourceText {
  private SourceText() {}

  public static String read(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  public static String decode(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      if (text.startsWith("\uFEFF")) text = text.substring(1);
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
  }
}
