package io.github.cgscanner.rules.secrets;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Realistic small files in several languages and config formats, each holding one named value. */
final class Contexts {
  private Contexts() {}

  enum Kind { JAVA, PYTHON, JS, YAML, ENV, JSON, PROPERTIES, GO, PHP, RUBY, CSHARP, XML }

  record File(String path, String text) {}

  static String upper(List<String> words) {
    return String.join("_", words).toUpperCase(Locale.ROOT);
  }

  static String snake(List<String> words) {
    return String.join("_", words);
  }

  static String camel(List<String> words) {
    return words.get(0) + words.stream().skip(1).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
        .collect(Collectors.joining());
  }

  static String dotted(List<String> words) {
    return String.join(".", words);
  }

  /** A file of {@code kind} assigning {@code value} to a variable or key made of {@code name}. */
  static File embed(Kind kind, List<String> name, String value, String module, int variant) {
    boolean quote = variant % 2 == 0;
    return switch (kind) {
      case JAVA -> new File("src/main/java/com/acme/" + module + "/Settings.java", """
          package com.acme.%s;

          import java.net.http.HttpClient;
          import java.time.Duration;

          public final class Settings {
            private static final String %s = "%s";
            private static final Duration TIMEOUT = Duration.ofSeconds(10);

            public HttpClient client() {
              return HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            }
          }
          """.formatted(module, upper(name), value));
      case PYTHON -> new File(module + "/settings.py", """
          import logging
          import requests

          log = logging.getLogger(__name__)
          %s = %s


          def fetch(path):
              log.info("fetching %%s", path)
              return requests.get("https://api.acme.io/" + path, timeout=10)
          """.formatted(variant % 3 == 0 ? upper(name) : snake(name), quote ? "\"" + value + "\"" : "'" + value + "'"));
      case JS -> new File("web/src/" + module + "/config." + (quote ? "js" : "ts"), """
          import axios from 'axios';

          export const %s = %s;

          export const client = axios.create({ baseURL: 'https://api.acme.io', timeout: 10000 });
          """.formatted(camel(name), quote ? "'" + value + "'" : "`" + value + "`"));
      case YAML -> new File("deploy/" + module + "/values.yaml", """
          service:
            name: %s
            replicas: 3
            %s: %s
            region: eu-west-1
          """.formatted(module, snake(name), quote ? "\"" + value + "\"" : value));
      case ENV -> new File("services/" + module + "/.env", """
          APP_ENV=production
          PORT=8080
          %s=%s
          LOG_LEVEL=info
          """.formatted(upper(name), quote ? "\"" + value + "\"" : value));
      case JSON -> new File("config/" + module + ".json", """
          {
            "service": "%s",
            "timeoutSeconds": 30,
            "%s": "%s",
            "retries": 2
          }
          """.formatted(module, camel(name), value));
      case PROPERTIES -> new File("src/main/resources/" + module + ".properties", """
          server.port=8080
          spring.application.name=%s
          %s=%s
          logging.level.root=INFO
          """.formatted(module, dotted(name), value));
      case GO -> new File("internal/" + module + "/config.go", quote ? """
          package %s

          import "os"

          const %s = "%s"

          func Region() string { return os.Getenv("REGION") }
          """.formatted(module, camel(name), value) : """
          package %s

          func client() *Client {
          	%s := "%s"
          	return NewClient(%s)
          }
          """.formatted(module, camel(name), value, camel(name)));
      case PHP -> new File("config/" + module + ".php", quote ? """
          <?php
          return [
              'service' => '%s',
              '%s' => '%s',
          ];
          """.formatted(module, snake(name), value) : """
          <?php
          $%s = "%s";
          $client = new Client($%s);
          """.formatted(camel(name), value, camel(name)));
      case RUBY -> new File("config/initializers/" + module + ".rb", quote ? """
          Rails.application.configure do
            config.x.%s = "%s"
          end
          """.formatted(snake(name), value) : """
          SETTINGS = {
            service: '%s',
            %s: '%s',
          }.freeze
          """.formatted(module, snake(name), value));
      case CSHARP -> new File("src/Acme." + module + "/Settings.cs", """
          namespace Acme.%s;

          public static class Settings
          {
              public const string %s = "%s";
          }
          """.formatted(module, pascal(name), value));
      case XML -> new File("conf/" + module + "-settings.xml", """
          <settings>
            <server>
              <id>%s</id>
              <%s>%s</%s>
            </server>
          </settings>
          """.formatted(module, camel(name), value, camel(name)));
    };
  }

  static String pascal(List<String> words) {
    String c = camel(words);
    return Character.toUpperCase(c.charAt(0)) + c.substring(1);
  }

  /** An ADO.NET connection string: the password is a bare value between ';' separators inside a string. */
  static File connectionString(String password, String module) {
    return new File("src/Acme." + module + "/Db.cs", """
        public sealed class Db
        {
            private const string Conn = "Server=db.%s.internal;Database=%s;User Id=app;Password=%s;Encrypt=true";
        }
        """.formatted(module, module, password));
  }

  /** PEM private keys the ways they end up in repositories: key files, strings, block scalars, escaped JSON. */
  static File pem(int variant, String label, List<String> body, String module) {
    String begin = "-----BEGIN " + label + "PRIVATE KEY-----";
    String end = "-----END " + label + "PRIVATE KEY-----";
    String lines = String.join("\n", body);
    String escaped = begin + "\\n" + String.join("\\n", body) + "\\n" + end + "\\n";
    String indented = IntStream.range(0, body.size()).mapToObj(i -> "    " + body.get(i)).collect(Collectors.joining("\n"));
    return switch (variant % 7) {
      case 0 -> new File("deploy/" + module + "/server.key", begin + "\n" + lines + "\n" + end + "\n");
      case 1 -> new File(module + "/keys.py", "import jwt\n\nSIGNING_KEY = \"\"\"" + begin + "\n" + lines + "\n" + end
          + "\"\"\"\n\n\ndef sign(claims):\n    return jwt.encode(claims, SIGNING_KEY, algorithm=\"RS256\")\n");
      case 2 -> new File("deploy/" + module + "/secret.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  tls.key: |\n    "
          + begin + "\n" + indented + "\n    " + end + "\n  tls.crt: see-cert-manager\n");
      case 3 -> new File("config/" + module + "-service-account.json", "{\n  \"type\": \"service_account\",\n  \"project_id\": \""
          + module + "-prod\",\n  \"private_key\": \"" + escaped + "\",\n  \"client_email\": \"svc@" + module
          + ".iam.gserviceaccount.com\"\n}\n");
      case 4 -> new File("web/" + module + "/key.js", "export const privateKey = `" + begin + "\n" + lines + "\n" + end
          + "`;\n\nexport default privateKey;\n");
      case 5 -> new File("src/main/java/com/acme/" + module + "/Keys.java", "package com.acme." + module
          + ";\n\nfinal class Keys {\n  static final String PEM = \"\"\"\n      " + begin + "\n"
          + IntStream.range(0, body.size()).mapToObj(i -> "      " + body.get(i)).collect(Collectors.joining("\n"))
          + "\n      " + end + "\n      \"\"\";\n}\n");
      default -> new File("services/" + module + "/.env", "APP_ENV=production\nJWT_PRIVATE_KEY=\"" + escaped + "\"\nPORT=8080\n");
    };
  }
}
