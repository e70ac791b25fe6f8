import Foundation
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceAPI

struct SalesforceErrorTests {
    /// Salesforce's error array becomes `.api` with the status, code, message and fields.
    @Test func restErrorArrayDecodesToAPIFailure() {
        let error = ResponseDecoding.error(
            from: apiError(400, .requiredFieldMissing, "Required fields are missing: [LastName, Company]", fields: ["LastName", "Company"]))
        #expect(error.kind == .api)
        #expect(error.apiCode == .requiredFieldMissing)
        #expect(error.status == 400)
        #expect(error.apiFailure?.errors.first?.fields == ["LastName", "Company"])
        #expect(error.description.contains("REQUIRED_FIELD_MISSING"))
        #expect(error.description.contains("LastName, Company"))
    }

    /// An error code Parley has no name for still decodes and compares by its raw value.
    @Test func unknownErrorCodeStillDecodes() {
        let error = ResponseDecoding.error(from: apiError(400, ErrorCode(rawValue: "FUTURE_THING"), "new"))
        #expect(error.apiCode == ErrorCode(rawValue: "FUTURE_THING"))
    }

    /// An OAuth error object becomes `.oauth`, whether sent as JSON or form-encoded.
    @Test func oauthErrorBodiesDecode() {
        let json = ResponseDecoding.error(
            from: RawResponse(status: 400, json: ["error": "invalid_grant", "error_description": "authentication failure"]))
        #expect(json.kind == .oauth)
        #expect(json.oauthError == .authenticationFailure)
        let form = ResponseDecoding.error(
            from: RawResponse(status: 400, body: Data("error=invalid_token&error_description=token%20not%20found".utf8)))
        #expect(form.oauthError == OAuthErrorBody(error: "invalid_token", errorDescription: "token not found"))
    }

    /// A body that is not Salesforce's shape becomes `.invalidResponse` with the status and a short snippet.
    @Test func foreignBodyIsInvalidResponse() {
        let html = String(repeating: "<html>proxy error</html>", count: 40)
        let error = ResponseDecoding.error(from: RawResponse(status: 502, body: Data(html.utf8)))
        #expect(error.kind == .invalidResponse)
        #expect(error.status == 502)
        #expect(error.description.contains("proxy error"))
        #expect(error.description.count < 400)
    }

    /// Snippets of unexpected bodies never carry tokens or secrets.
    @Test func snippetsMaskCredentials() {
        let json = ResponseDecoding.snippet(of: Data(#"{"access_token":"00Dsecret!tok","refresh_token":"5Aep-secret","odd":1}"#.utf8))
        #expect(!json.contains("00Dsecret"))
        #expect(!json.contains("5Aep-secret"))
        #expect(json.contains("odd"))
        let form = ResponseDecoding.snippet(of: Data("access_token=00Dsecret!tok&x=1".utf8))
        #expect(!form.contains("00Dsecret"))
    }

    /// `authorizationRequired` compares equal whatever its reason, and the other kinds compare by kind and payload.
    @Test func equalityIgnoresReasons() {
        #expect(SalesforceError.authorizationRequired(reason: "refresh failed") == .authorizationRequired)
        #expect(SalesforceError.authorizationRequired(reason: "refresh failed").kind == .authorizationRequired)
        #expect(SalesforceError.timeout != .authorizationRequired)
        #expect(SalesforceError.connection("a") != .connection("b"))
        #expect(SalesforceError.connection("a").kind == .connection)
    }

    /// Error kinds can be switched over like enum cases.
    @Test func kindsSwitch() {
        func label(_ error: SalesforceError) -> String {
            switch error.kind {
            case .api: "api"
            case .authorizationRequired: "authorize"
            case .timeout: "timeout"
            default: "other"
            }
        }
        #expect(label(.timeout) == "timeout")
        #expect(label(.authorizationRequired) == "authorize")
        #expect(label(.api(APIFailure(status: 404, code: .notFound, message: "gone"))) == "api")
        #expect(label(.signatureMismatch) == "other")
    }
}
