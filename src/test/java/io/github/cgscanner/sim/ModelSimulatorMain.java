package io.github.cgscanner.sim;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the simulator in its own JVM (benchmarks, multi-JVM tests). Prints {@code SIMULATOR_PORT=<port>}
 * once listening. Flags:
 * <pre>
 * --port N  --keys k1,k2  --quota-keys k3  --rpm N --tpm N  --key-limit key:rpm:tpm
 * --group name:k1+k2:rpm:tpm  --burst-seconds S  --latency-ms N --jitter F  --seed N
 * --model NAME  --shutdown-date YYYY-MM-DD  --no-rate-headers  --integer-headers  --max-prompts N
 * --azure DEPLOYMENT:API_VERSION (an Azure OpenAI deployment of --model)  --self-hosted (serves --model only)
 * --reject-strict (with --self-hosted: no strict schemas, no fields it does not know)
 * --fail-verification  --vary-answers
 * --fault-500 P --fault-503 P --fault-hang P --fault-truncated P --fault-malformed P --fault-refusal P --fault-madeup P
 * </pre>
 */
public final class ModelSimulatorMain {
  private ModelSimulatorMain() {}

  public static void main(String[] args) {
    SimulatorOptions options = parse(args);
    Vertx vertx = Vertx.vertx();
    new ModelSimulator(vertx, options).start()
        .onSuccess(port -> System.out.println("SIMULATOR_PORT=" + port))
        .onFailure(t -> {
          System.err.println("simulator could not start: " + t.getMessage());
          System.exit(1);
        });
  }

  static SimulatorOptions parse(String[] args) {
    SimulatorOptions.Builder b = SimulatorOptions.builder();
    double[] faults = new double[7];
    List<String> faultNames = List.of("--fault-500", "--fault-503", "--fault-hang", "--fault-truncated", "--fault-malformed",
        "--fault-refusal", "--fault-madeup");
    long rpm = 0;
    long tpm = 0;
    double jitter = 0.2;
    long latency = 0;
    String model = "gpt-5.4-mini";
    String azure = null;
    boolean selfHosted = false;
    boolean rejectStrict = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--no-rate-headers" -> b.headerStyle(SimulatorOptions.HeaderStyle.NONE);
        case "--integer-headers" -> b.headerStyle(SimulatorOptions.HeaderStyle.INTEGER);
        case "--fail-verification" -> b.failVerification();
        case "--vary-answers" -> b.varyAnswers();
        case "--self-hosted" -> selfHosted = true;
        case "--reject-strict" -> rejectStrict = true;
        default -> {
          if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + flag);
          String v = args[++i];
          switch (flag) {
            case "--port" -> b.port(Integer.parseInt(v));
            case "--keys" -> b.keys(v.split(","));
            case "--quota-keys" -> b.quotaKeys(v.split(","));
            case "--rpm" -> rpm = Long.parseLong(v);
            case "--tpm" -> tpm = Long.parseLong(v);
            case "--key-limit" -> {
              String[] p = v.split(":");
              b.keyLimit(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
            }
            case "--group" -> {
              String[] p = v.split(":");
              b.group(p[0], Arrays.asList(p[1].split("\\+")), Long.parseLong(p[2]), Long.parseLong(p[3]));
            }
            case "--burst-seconds" -> b.burstSeconds(Double.parseDouble(v));
            case "--latency-ms" -> latency = Long.parseLong(v);
            case "--jitter" -> jitter = Double.parseDouble(v);
            case "--seed" -> b.seed(Long.parseLong(v));
            case "--fault-429" -> b.spurious429(Double.parseDouble(v));
            case "--max-prompts" -> b.maxPrompts(Integer.parseInt(v));
            case "--model" -> {
              b.models(v.split(","));
              model = v.split(",")[0];
            }
            case "--azure" -> azure = v;
            case "--shutdown-date" -> b.shutdownDate(v);
            default -> {
              int f = faultNames.indexOf(flag);
              if (f < 0) throw new IllegalArgumentException("unknown flag " + flag);
              faults[f] = Double.parseDouble(v);
            }
          }
        }
      }
    }
    if (azure != null) b.azure(azure.split(":")[0], azure.split(":")[1], model);
    if (selfHosted) b.selfHosted(model, rejectStrict);
    return b.limit(rpm, tpm).latency(latency, jitter)
        .faults(new SimulatorOptions.Faults(faults[0], faults[1], faults[2], faults[3], faults[4], faults[5], faults[6]))
        .build();
  }
}
