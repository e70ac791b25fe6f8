import DialogRuntime
import Integrations
import Logging
import Testing

/// Logs never show credentials or the sensitive values of a conversation.
@Suite struct LogRedactionTests {
    /// Tokens in URLs and remembered sensitive values are masked in the message and in metadata.
    @Test func credentialsAndSensitiveValuesAreMasked() {
        let capture = LogCapture()
        RedactingLogHandler.remember(SensitiveText(["AC-55501234"]))
        var logger = Logger(label: "parley.test") { _ in
            RedactingLogHandler(LogCapture.CapturingHandler(capture: capture))
        }
        logger.logLevel = .trace
        logger[metadataKey: "user"] = "ana"
        logger[metadataKey: "link"] = "https://cb.test/oauth/callback?code=kQ77zz&state=s"
        logger.debug(
            "salesforce request GET https://i.test/q?access_token=00D!AR.secret&q=SELECT+Id+WHERE+Account='AC-55501234'",
            metadata: ["url": "https://cb.test/oauth/callback?code=aPrx42&state=s", "body": .dictionary(["pin": "AC-55501234"])])
        let line = capture.text
        #expect(line.contains("access_token=[redacted]"))
        #expect(line.contains("code=[redacted]"))
        #expect(line.contains("Account='•••'"))
        #expect(!line.contains("00D!AR.secret"))
        #expect(!line.contains("aPrx42"))
        #expect(!line.contains("kQ77zz"))
        #expect(!line.contains("55501234"))
        #expect(line.contains("ana"))
    }
}
