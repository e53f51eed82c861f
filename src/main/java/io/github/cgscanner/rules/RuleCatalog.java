package io.github.cgscanner.rules;

import static io.github.cgscanner.rules.Lang.*;

import io.github.cgscanner.rules.Probe.Arg;
import io.github.cgscanner.domain.Severity;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The local rules: known-dangerous patterns cheap enough to check on every file without a model. */
final class RuleCatalog {
  private RuleCatalog() {}

  private static final Set<Lang> CODE = EnumSet.of(JAVA, PYTHON, JS, GO, PHP, RUBY, CSHARP);

  private static Set<Lang> only(Lang first, Lang... rest) {
    return EnumSet.of(first, rest);
  }

  static final List<Rule> RULES = List.of(
      sqlConcat(), commandInjection(), eval(), unsafeDeserialization(), CryptoRules.weakHash(), CryptoRules.weakCipher(),
      tlsVerificationDisabled(), CryptoRules.insecureRandom(), pathTraversal(), WebRules.insecureCookie(),
      WebRules.cookieWithoutHttpOnly(), WebRules.trustBoundary(), promptInjection());

  private static final String SQL_IN_STRING =
      "(?i)[\"'`][^\"'`]*\\b(?:select\\s+[^\"'`]*?\\bfrom\\b|insert\\s+into\\b|update\\s+[\\w.\\[\\]\"`]+\\s+set\\b"
          + "|delete\\s+from\\b)|[\"]\\s*\\{\\s*(?:\\?\\s*=\\s*)?call\\s";
  private static final String SQL_SINK =
      "(?i)\\b(?:execute\\w*|query\\w*|exec|raw|prepare\\w*|createQuery|createNativeQuery|SqlCommand|find_by_sql"
          + "|mysqli_query|pg_query|cursor|sql)\\s*\\(";

  private static Rule sqlConcat() {
    String concat = "[\"'`]\\s*\\+\\s*[A-Za-z_$(]|[\\w)\\]]\\s*\\+\\s*[\"'`]";
    String interpolation = "\\b[fF][rR]?[\"'][^\"']*\\{[^}]+}|`[^`]*\\$\\{|#\\{|\\$\"[^\"]*\\{";
    String format = "[\"']\\s*%\\s*[\\w(]|\\.format\\s*\\(|\\b(?:Sprintf|String\\.format|string\\.Format|sprintf|format)\\s*\\(";
    return new Rule("sql-concat", "CWE-89", Severity.HIGH, "medium",
        "SQL query built from variables",
        "An SQL statement is assembled by concatenating, formatting or interpolating values into the query "
            + "text. If any of them comes from a user, they can change the query (SQL injection).",
        "Use a parameterised query (placeholders such as ? or $1, bound parameters) and never build SQL text "
            + "from input; allow-list identifiers such as column names if they must vary.",
        false,
        List.of("select", "insert", "update", "delete", "call"),
        List.of(
            Probe.of(SQL_IN_STRING, CODE).requireOnLine(concat).requireInFile(SQL_SINK).when(Sites.concatenatesVariable()),
            Probe.of(SQL_IN_STRING, CODE).requireOnLine(interpolation + "|" + format).requireInFile(SQL_SINK),
            Probe.of(SQL_IN_STRING, only(PHP)).requireOnLine("[\"']\\s*\\.\\s*\\$|\\$\\w+\\s*\\.\\s*[\"']|\"[^\"]*\\$[A-Za-z_{]")
                .requireInFile(SQL_SINK)));
  }

  private static Rule commandInjection() {
    String shellC = "\"(?:/bin/|/usr/bin/)?(?:ba|z|da)?sh\"\\s*,\\s*\"-c\"\\s*,";
    return new Rule("command-injection", "CWE-78", Severity.HIGH, "medium",
        "OS command built from variables",
        "A shell command or process is started from a string that is built or passed in at run time. "
            + "Input reaching it can run arbitrary commands on the host (OS command injection).",
        "Run the program directly with a fixed executable and an argument list (no shell), validate every "
            + "argument against an allow-list, and never pass user input through a shell.",
        false,
        List.of("exec", "processbuilder", "system", "popen", "getoutput", "subprocess", "spawn", "command", "passthru", "proc_open", "`", "%x(", "process.start", "arguments", "open3"),
        List.of(
            Probe.of("(?:\\bRuntime\\.getRuntime\\(\\)|\\b\\w*(?:runtime|Runtime|rt))\\.exec\\s*\\(", only(JAVA))
                .arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bnew\\s+ProcessBuilder\\s*\\(\\s*" + shellC, only(JAVA)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bnew\\s+ProcessBuilder\\s*\\(", only(JAVA)).arg(Arg.BUILT),
            Probe.of("\\bos\\.(?:system|popen)\\s*\\(", only(PYTHON)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\b(?:subprocess|commands)\\.(?:getoutput|getstatusoutput)\\s*\\(", only(PYTHON))
                .arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bsubprocess\\.(?:call|run|Popen|check_output|check_call)\\s*\\(", only(PYTHON))
                .arg(Arg.VARIABLE_OR_BUILT).requireOnLine("\\bshell\\s*=\\s*True"),
            Probe.of("(?:\\bchild_process\\.|(?<![\\w.$]))exec(?:Sync)?\\s*\\(", only(JS)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bspawn(?:Sync)?\\s*\\(", only(JS)).arg(Arg.VARIABLE_OR_BUILT).requireOnLine("\\bshell\\s*:\\s*true"),
            Probe.of("\\bexec\\.Command(?:Context)?\\s*\\(\\s*(?:\\w+\\s*,\\s*)?" + shellC, only(GO))
                .arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bexec\\.Command(?:Context)?\\s*\\(", only(GO)).arg(Arg.BUILT),
            Probe.of("(?<![\\w>$:\\\\])(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\\s*\\(", only(PHP))
                .arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("`[^`]*\\$\\w+[^`]*`", only(PHP)),
            Probe.of("(?<![\\w.:])(?:system|exec|spawn)\\s*\\(|\\bIO\\.popen\\s*\\(|\\bOpen3\\.\\w+\\s*\\(", only(RUBY))
                .arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("`[^`]*#\\{[^`]*`|%x\\([^)]*#\\{", only(RUBY)),
            Probe.of("\\bProcess\\.Start\\s*\\(", only(CSHARP)).arg(Arg.BUILT),
            Probe.of("\\.Arguments\\s*=\\s*", only(CSHARP)).arg(Arg.BUILT)));
  }

  private static Rule eval() {
    return new Rule("eval", "CWE-95", Severity.HIGH, "medium",
        "Dynamic code evaluation of a non-literal",
        "Code is evaluated from a string that is not a constant. If an attacker can influence that string, "
            + "they can run arbitrary code in the application (code injection).",
        "Do not evaluate code built at run time; parse data with a data parser (JSON, ast.literal_eval) or "
            + "map allowed operations to functions explicitly.",
        false,
        List.of("eval", "exec", "function", "settimeout", "setinterval", "create_function", "preg_replace"),
        List.of(
            Probe.of("(?<![\\w.$])eval\\s*\\(", only(PYTHON, JS, PHP, RUBY)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("(?<![\\w.])exec\\s*\\(", only(PYTHON)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("(?<![\\w.$])(?:new\\s+)?Function\\s*\\(", only(JS)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bset(?:Timeout|Interval)\\s*\\(", only(JS)).arg(Arg.BUILT),
            Probe.of("\\b(?:instance_eval|class_eval|module_eval)\\s*\\(", only(RUBY)).arg(Arg.VARIABLE_OR_BUILT),
            Probe.of("\\bcreate_function\\s*\\(|\\bpreg_replace\\s*\\(\\s*['\"](.).*\\1[a-zA-Z]*e[a-zA-Z]*['\"]", only(PHP)),
            Probe.of("\\b\\w*(?:engine|Engine)\\.eval\\s*\\(", only(JAVA)).arg(Arg.VARIABLE_OR_BUILT)));
  }

  private static Rule unsafeDeserialization() {
    return new Rule("unsafe-deserialization", "CWE-502", Severity.HIGH, "medium",
        "Unsafe deserialisation",
        "Data is deserialised with a format that can instantiate arbitrary types or run code while loading. "
            + "Untrusted input reaching it usually means remote code execution.",
        "Deserialise untrusted data only with data-only formats (JSON into fixed types, yaml.safe_load), or "
            + "restrict the allowed classes with a strict allow-list filter.",
        false,
        List.of("objectinputstream", "xmldecoder", "defaulttyping", "pickle", "dill.", "marshal", "yaml", "formatter", "serializer", "typenamehandling", "unserialize"),
        List.of(
            Probe.of("\\bnew\\s+ObjectInputStream\\s*\\(|\\bnew\\s+XMLDecoder\\s*\\(|\\.enableDefaultTyping\\s*\\(",
                only(JAVA)),
            Probe.of("\\b(?:c?[pP]ickle|dill|marshal|jsonpickle)\\.(?:loads?|decode|Unpickler)\\s*\\(|\\byaml\\.unsafe_load\\s*\\(",
                only(PYTHON)),
            Probe.of("\\byaml\\.load(?:_all)?\\s*\\(", only(PYTHON)).unless("Safe\\w*Loader|safe_load"),
            Probe.of("\\bMarshal\\.load\\s*\\(|\\bYAML\\.unsafe_load\\s*\\(", only(RUBY)),
            Probe.of("\\bnew\\s+(?:BinaryFormatter|NetDataContractSerializer|LosFormatter|ObjectStateFormatter|SoapFormatter)\\b"
                + "|TypeNameHandling\\s*=\\s*TypeNameHandling\\.(?:All|Auto|Objects|Arrays)", only(CSHARP)),
            Probe.of("(?<![\\w>$:])unserialize\\s*\\(", only(PHP)).arg(Arg.VARIABLE_OR_BUILT).unless("allowed_classes"),
            Probe.of("\\.unserialize\\s*\\(", only(JS)).requireInFile("node-serialize|serialize-javascript|funcster")));
  }

  private static Rule tlsVerificationDisabled() {
    return new Rule("tls-verification-disabled", "CWE-295", Severity.HIGH, "high",
        "TLS certificate verification disabled",
        "Certificate or host name checks are turned off, so any machine on the network path can impersonate "
            + "the server and read or alter the traffic (man in the middle).",
        "Keep verification on. For private CAs, add the CA certificate to a trust store or pass it explicitly "
            + "(e.g. verify=\"/path/ca.pem\", ca: option, RootCAs) instead of disabling checks.",
        false,
        List.of("verify", "cert_none", "check_hostname", "unauthorized", "strictssl", "hostname", "trustall", "checkservertrusted", "validationcallback", "dangerousaccept"),
        List.of(
            Probe.of("\\bverify\\s*=\\s*False\\b", only(PYTHON)).unless("^\\s*def\\s"),
            Probe.of("\\bssl\\._create_unverified_context\\b|\\b(?:verify_mode|cert_reqs)\\s*=\\s*(?:ssl\\.)?['\"]?CERT_NONE\\b"
                + "|\\bcheck_hostname\\s*=\\s*False\\b", only(PYTHON)),
            Probe.of("\\brejectUnauthorized\\s*:\\s*false\\b|\\bstrictSSL\\s*:\\s*false\\b", only(JS)),
            Probe.of("\\bNODE_TLS_REJECT_UNAUTHORIZED['\"]?\\]?\\s*[=:]\\s*['\"]?0", Probe.all()),
            Probe.of("\\bInsecureSkipVerify\\s*:\\s*true\\b", only(GO)),
            Probe.of("\\bALLOW_ALL_HOSTNAME_VERIFIER\\b|\\bNoopHostnameVerifier\\b|\\bAllowAllHostnameVerifier\\b"
                + "|\\bTrustAllStrategy\\b|setHostnameVerifier\\s*\\(\\s*\\(?[\\w\\s,]*\\)?\\s*->\\s*true", only(JAVA)),
            Probe.of("\\bcheckServerTrusted\\s*\\([^)]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?\\{\\s*}"
                + "|\\bboolean\\s+verify\\s*\\(\\s*String\\s+\\w+\\s*,\\s*SSLSession\\s+\\w+\\s*\\)\\s*\\{\\s*return\\s+true\\s*;\\s*}",
                only(JAVA)).acrossLines(),
            Probe.of("ServerCertificate(?:Custom)?ValidationCallback\\s*\\+?=\\s*[^;]*=>\\s*true\\b"
                + "|\\bDangerousAcceptAnyServerCertificateValidator\\b", only(CSHARP)),
            Probe.of("\\bCURLOPT_SSL_VERIFY(?:PEER|HOST)\\s*,\\s*(?:false|0)\\b|['\"]verify['\"]\\s*=>\\s*false\\b", only(PHP)),
            Probe.of("\\bVERIFY_NONE\\b", only(RUBY))));
  }

  private static Rule pathTraversal() {
    String request = "\\brequest\\.(?:args|form|values|GET|POST|params|query_params|files|getParameter)|\\breq\\.(?:query|params|body)"
        + "|\\$_(?:GET|POST|REQUEST|COOKIE|FILES)|\\bparams\\[|getParameter\\s*\\(|\\br\\.URL\\.Query\\(\\)|\\br\\.FormValue\\s*\\("
        + "|\\bc\\.(?:Param|Query)\\s*\\(|\\bRequest\\.(?:Query|Form|QueryString)\\b";
    String sanitised = "(?i)basename|normalize|realpath|secure_filename|filepath\\.(?:Clean|Base)|GetFileName|sanitize";
    return new Rule("path-traversal", "CWE-22", Severity.MEDIUM, "low",
        "File path from request input",
        "A file is opened with a path taken from the request on the same line. '../' sequences or absolute "
            + "paths in it can reach files outside the intended directory.",
        "Resolve the path against a fixed base directory, normalise it and check it stays inside the base "
            + "(or map user input to an allow-list of file names).",
        false,
        List.of("request", "req.", "$_", "params[", "getparameter", "r.url", "formvalue", "c.param", "c.query"),
        List.of(
            Probe.of("\\bnew\\s+(?:File|FileInputStream|FileReader|FileOutputStream)\\s*\\(|\\b(?:Paths\\.get|Path\\.of)\\s*\\("
                    + "|\\bFiles\\.(?:read\\w*|new\\w*|lines|delete|copy|write\\w*)\\s*\\("
                    + "|(?<![\\w.])open\\s*\\(|\\bsend_file\\s*\\(|\\bsend_from_directory\\s*\\("
                    + "|\\bfs\\.\\w+\\s*\\(|\\bres\\.(?:sendFile|download)\\s*\\("
                    + "|\\bos\\.(?:Open|OpenFile|ReadFile|Remove)\\s*\\(|\\bioutil\\.ReadFile\\s*\\(|\\bhttp\\.ServeFile\\s*\\("
                    + "|\\bFile\\.(?:ReadAll\\w*|Open\\w*|Delete|read|open|write)\\s*\\("
                    + "|\\b(?:file_get_contents|fopen|readfile|include|require|include_once|require_once|unlink)\\s*\\(?",
                CODE).requireOnLine(request).unless(sanitised)));
  }

  private static Rule promptInjection() {
    String verbs = "(?:ignore|disregard|forget|override|skip)";
    String earlier = "(?:previous|prior|above|earlier|preceding|former|foregoing|original|system)";
    return new Rule("prompt-injection", "CWE-1427", Severity.MEDIUM, "medium",
        "Text that tries to instruct an AI reviewer",
        "The file contains wording aimed at an AI assistant or automated reviewer (for instance telling it to "
            + "ignore its instructions or not to report issues). Such text can suppress or steer findings of "
            + "AI-based review and deserves a human look.",
        "Remove the instructions aimed at AI tools and review this file manually; treat its other content as "
            + "untrusted.",
        true,
        List.of("ignore", "disregard", "forget", "override", "skip", "you are now", "report", "flag", "mention",
            "disclose", "empty", "system prompt", "<|", "<<sys>>", "inst]", "note to", "note for", "notes to",
            "notes for", "message to", "message for", "instruction", "reviewer", "scanner", "auditor", "assistant",
            "mark this", "mark it", "mark the"),
        List.of(
            Probe.of("(?i)\\b" + verbs + "\\s+(?:all\\s+|any\\s+|every\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+|my\\s+)?"
                + earlier + "\\s+(?:\\w+\\s+)?(?:instructions?|prompts?|rules|directions|directives|guidelines|context|messages?)\\b",
                Probe.all()),
            Probe.of("(?i)\\bdisregard\\s+(?:all\\s+|everything\\s+)?(?:of\\s+)?(?:the\\s+)?(?:above|previous|prior)\\b", Probe.all()),
            Probe.of("(?i)\\byou\\s+are\\s+now\\s+(?:an?\\s+|the\\s+|in\\s+|my\\s+)?(?:\\w+\\s+){0,3}?(?:ai|assistant|model|chatbot|bot"
                + "|reviewer|auditor|scanner|dan|gpt|llm|jailbroken|unrestricted|unfiltered|developer\\s+mode)\\b", Probe.all()),
            Probe.of("(?i)\\b(?:do\\s+not|don't|never)\\s+(?:report|flag|mention|list|raise|disclose)\\s+(?:any\\s+|this\\s+|these\\s+|the\\s+)?"
                + "(?:\\w+\\s+)?(?:vulnerabilit\\w*|issues?|findings?|security|secrets?|problems?|bugs?|weakness\\w*|(?:code|file|function|line)\\b)",
                Probe.all()),
            Probe.of("(?i)\\breport\\s+(?:no|zero)\\s+(?:\\w+\\s+)?(?:vulnerabilit\\w*|issues|findings|problems|bugs)\\b"
                + "|\\b(?:return|output|respond\\s+with|answer\\s+with)\\s+(?:an?\\s+)?empty\\s+(?:findings|list\\s+of\\s+(?:findings|vulnerabilities|issues))",
                Probe.all()),
            Probe.of("(?i)\\b(?:reveal|print|show|output|repeat|leak|ignore|override|new|updated)\\s+(?:your\\s+|the\\s+)?system\\s+prompt\\b"
                + "|<\\|im_start\\|>|<\\|system\\|>|(?-i:<<SYS>>|\\[/?INST])", Probe.all()),
            Probe.of("(?i)\\b(?:note|message|instructions?)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+)?(?:ai|llm|language\\s+model|assistant"
                + "|(?:ai\\s+|automated\\s+|security\\s+)?(?:reviewer|scanner|auditor)|gpt|chatgpt|copilot)s?\\b", Probe.all()),
            Probe.of("(?i)\\b(?:ai|llm|gpt|chatgpt|automated)\\s+(?:security\\s+|code\\s+)?(?:reviewer|scanner|auditor|assistant)s?\\s*[:,]"
                + "|\\bmark\\s+(?:this|it|the\\s+(?:file|code))\\s+as\\s+(?:safe|secure|clean|reviewed)\\b", Probe.all())));
  }
}
