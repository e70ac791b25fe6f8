/// The names, companies and places the demo data is drawn from.
enum DemoData {
    static let accounts:
        [(name: String, industry: String, type: String, city: String, state: String, country: String, employees: Int, website: String)] = [
            ("Northwind Traders", "Retail", "Customer - Direct", "Seattle", "WA", "USA", 420, "northwind.example.com"),
            ("Globex Corporation", "Manufacturing", "Customer - Channel", "Springfield", "IL", "USA", 5200, "globex.example.com"),
            ("Initech", "Technology", "Prospect", "Austin", "TX", "USA", 310, "initech.example.com"),
            ("Umbrella Health", "Healthcare", "Customer - Direct", "Raleigh", "NC", "USA", 2800, "umbrellahealth.example.com"),
            ("Stark Logistics", "Transportation", "Channel Partner / Reseller", "Detroit", "MI", "USA", 1900, "starklogistics.example.com"),
            ("Wayne Financial", "Finance", "Customer - Direct", "Newark", "NJ", "USA", 7600, "waynefinancial.example.com"),
            ("Aperture Labs", "Biotechnology", "Prospect", "Cambridge", "MA", "USA", 640, "aperturelabs.example.com"),
            ("Blue Harbor Foods", "Food & Beverage", "Customer - Channel", "Portland", "OR", "USA", 230, "blueharbor.example.com"),
            ("Helios Energy", "Energy", "Technology Partner", "Denver", "CO", "USA", 1150, "heliosenergy.example.com"),
            ("Lumen Education", "Education", "Other", "Toronto", "ON", "Canada", 380, "lumenedu.example.com"),
        ]

    static let leadCompanies = [
        "Acme Robotics", "Bright Path Consulting", "Cedar & Pine Builders", "Delta Freight", "Evergreen Insurance",
        "Falcon Media", "Granite Telecom", "Harborview Hotels", "Ironclad Security", "Juniper Apparel",
        "Keystone Engineering", "Lakeside Clinics", "Maple Street Bank", "Nimbus Software", "Orion Chemicals",
        "Pioneer Agriculture", "Quantum Electronics", "Redwood Utilities", "Silverline Shipping", "Trident Machinery",
        "Union Square Retail", "Vista Entertainment", "Willow Creek Foods", "Xenon Biotech", "Yellowstone Recreation",
    ]

    static let firstNames = [
        "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Mateo", "Isabella", "Lucas", "Mia", "Amir",
        "Charlotte", "Kenji", "Amelia", "Diego", "Harper", "Ravi", "Evelyn", "Chen", "Priya", "Jonas", "Fatima",
        "Marcus", "Grace",
    ]

    static let lastNames = [
        "Johnson", "Garcia", "Nguyen", "Patel", "Smith", "Kowalski", "Okafor", "Rossi", "Müller", "Tanaka", "Brown",
        "Silva", "Cohen", "Andersen", "Dubois", "Hughes", "Kim", "Lopez", "Martin", "Novak", "O'Brien", "Price",
        "Reyes", "Schmidt", "Walker",
    ]

    static let titles = [
        "VP of Sales", "Director of Operations", "Procurement Manager", "CTO", "Head of IT", "Marketing Director",
        "Chief Financial Officer", "Office Manager", "Purchasing Lead", "Operations Analyst",
    ]

    static let places: [(city: String, state: String, country: String)] = [
        ("San Francisco", "CA", "USA"), ("New York", "NY", "USA"), ("Chicago", "IL", "USA"), ("Boston", "MA", "USA"),
        ("Miami", "FL", "USA"), ("Phoenix", "AZ", "USA"), ("Vancouver", "BC", "Canada"), ("London", "", "United Kingdom"),
        ("Berlin", "", "Germany"), ("Sydney", "NSW", "Australia"),
    ]

    static let opportunityProducts = [
        "Platform Licenses", "Support Renewal", "Onboarding Services", "Expansion", "Pilot Project", "Data Migration",
        "Annual Subscription", "Hardware Refresh", "Training Package", "Integration Bundle",
    ]

    static let nextSteps = [
        "Send proposal", "Schedule demo", "Security review", "Confirm budget", "Legal review", "Kick-off call",
        "Follow up on pricing",
    ]
}
