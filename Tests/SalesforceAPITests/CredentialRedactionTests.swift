import SalesforceAPI
import Testing

/// Credentials are hidden in text meant for people: traces, logs and error messages.
@Suite struct CredentialRedactionTests {
    /// Tokens and codes in URLs are hidden; other parameters stay.
    @Test func tokensInURLsAreHidden() {
        let line = "GET https://api.test/me?access_token=ya29.abc&page=2 → https://x.test/cb?code=aPrx1%3D%3D&state=s1 oauth_token=tok9"
        #expect(
            CredentialRedaction.redacting(line)
                == "GET https://api.test/me?access_token=[redacted]&page=2 → https://x.test/cb?code=[redacted]&state=s1 oauth_token=[redacted]"
        )
    }

    /// Credential fields in JSON and bearer tokens are hidden.
    @Test func jsonFieldsAndBearerTokensAreHidden() {
        #expect(
            CredentialRedaction.redacting(#"{"access_token": "00D!AR.x", "instance_url":"https://i.test"}"#)
                == #"{"access_token":"[redacted]", "instance_url":"https://i.test"}"#)
        #expect(CredentialRedaction.redacting("Authorization: Bearer 00Dxx0000001gPL!AR8AQ") == "Authorization: Bearer [redacted]")
    }

    /// Text without credentials is left as it is.
    @Test func otherTextIsLeftAlone() {
        let text = "Lead Doe at Acme created; see https://i.test/lead?id=00Q1"
        #expect(CredentialRedaction.redacting(text) == text)
    }
}
