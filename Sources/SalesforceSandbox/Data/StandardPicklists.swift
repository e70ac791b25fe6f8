/// The standard picklist values of a fresh Salesforce org.
enum StandardPicklists {
    static let leadStatus = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
    static let leadSource = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
    static let rating = ["Hot", "Warm", "Cold"]
    static let salutation = ["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]
    static let industry = [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
        "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental",
        "Finance", "Food & Beverage", "Government", "Healthcare", "Hospitality", "Insurance", "Machinery",
        "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail", "Shipping", "Technology",
        "Telecommunications", "Transportation", "Utilities", "Other",
    ]
    static let opportunityType = [
        "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade",
        "New Customer",
    ]
    static let accountType = [
        "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner",
        "Technology Partner", "Other",
    ]
    static let forecastCategory = ["Omitted", "Pipeline", "Best Case", "Commit", "Closed"]
    static var stageNames: [String] { OpportunityStage.standard.map(\.name) }
}

/// An opportunity stage with the defaults Salesforce derives from it.
struct OpportunityStage: Sendable {
    var name: String
    var probability: Double
    var forecastCategory: String
    var isClosed: Bool
    var isWon: Bool

    static let standard: [OpportunityStage] = [
        .init(name: "Prospecting", probability: 10, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Qualification", probability: 10, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Needs Analysis", probability: 20, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Value Proposition", probability: 50, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Id. Decision Makers", probability: 60, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Perception Analysis", probability: 70, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Proposal/Price Quote", probability: 75, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Negotiation/Review", probability: 90, forecastCategory: "Pipeline", isClosed: false, isWon: false),
        .init(name: "Closed Won", probability: 100, forecastCategory: "Closed", isClosed: true, isWon: true),
        .init(name: "Closed Lost", probability: 0, forecastCategory: "Omitted", isClosed: true, isWon: false),
    ]

    /// The stage named `name`, as stored (restricted picklist values are matched exactly).
    static func named(_ name: String) -> OpportunityStage? {
        standard.first { $0.name == name }
    }
}
