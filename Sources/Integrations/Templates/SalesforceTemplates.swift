/// The Salesforce CRM action's templates: the platform's seven (create, update, view, list,
/// search and delete a lead; create an opportunity) and the five opportunity tasks it lacks.
///
/// Their files live in `Templates/Salesforce/`, compiled into Parley; `Dialogs/` is what
/// installing all of them gives.
public enum SalesforceTemplates {
    static let findRecord = TemplateFile(name: "find-record.yaml", bytes: PackageResources.find_record_yaml)
    static let functions = TemplateFile(name: "salesforce.js", bytes: PackageResources.salesforce_js)

    /// Every template, leads first, in the order the platform lists them.
    public static let all: [ActionTemplate] = [
        template(
            "Create a Lead", "CreateLead", "POST",
            "Creates a lead from a name and a company; takes email, phone, title, source and status when said.",
            TemplateFile(name: "create-lead.yaml", bytes: PackageResources.create_lead_yaml), needs: [functions]),
        template(
            "Update a Lead", "UpdateLead", "PATCH", "Changes several fields of a lead at once, showing before and after.",
            TemplateFile(name: "update-lead.yaml", bytes: PackageResources.update_lead_yaml)),
        template(
            "View a Lead", "ViewLead", "GET", "Shows a lead found by its id, name, company or email.",
            TemplateFile(name: "view-lead.yaml", bytes: PackageResources.view_lead_yaml)),
        template(
            "List All Leads", "ListLeads", "GET", "Lists the newest leads as a table, optionally by status or rating.",
            TemplateFile(name: "list-leads.yaml", bytes: PackageResources.list_leads_yaml), needs: [functions]),
        template(
            "Search Leads", "SearchLeads", "GET", "Finds leads by name, company, email or phone.",
            TemplateFile(name: "search-leads.yaml", bytes: PackageResources.search_leads_yaml), needs: [functions]),
        template(
            "Delete a Lead", "DeleteLead", "DELETE", "Deletes a lead after naming it and a clear yes.",
            TemplateFile(name: "delete-lead.yaml", bytes: PackageResources.delete_lead_yaml)),
        template(
            "Create an Opportunity", "CreateOpportunity", "POST",
            "Creates an opportunity for an account, with its stage, amount and close date.",
            TemplateFile(name: "create-opportunity.yaml", bytes: PackageResources.create_opportunity_yaml)),
        template(
            "Update an Opportunity", "UpdateOpportunity", "PATCH", "Changes an opportunity's stage, amount, close date and more.",
            TemplateFile(name: "update-opportunity.yaml", bytes: PackageResources.update_opportunity_yaml)),
        template(
            "View an Opportunity", "ViewOpportunity", "GET", "Shows an opportunity found by its id or name.",
            TemplateFile(name: "view-opportunity.yaml", bytes: PackageResources.view_opportunity_yaml)),
        template(
            "List Opportunities", "ListOpportunities", "GET", "Lists opportunities by close date, optionally by period or stage.",
            TemplateFile(name: "list-opportunities.yaml", bytes: PackageResources.list_opportunities_yaml), needs: [functions]),
        template(
            "Search Opportunities", "SearchOpportunities", "GET", "Finds opportunities by name or account.",
            TemplateFile(name: "search-opportunities.yaml", bytes: PackageResources.search_opportunities_yaml), needs: [functions]),
        template(
            "Delete an Opportunity", "DeleteOpportunity", "DELETE", "Deletes an opportunity after naming it and a clear yes.",
            TemplateFile(name: "delete-opportunity.yaml", bytes: PackageResources.delete_opportunity_yaml)),
    ]

    /// Tasks that find a record first need the record finder and the functions it calls.
    private static func template(
        _ name: String, _ task: String, _ method: String, _ summary: String, _ file: TemplateFile,
        needs: [TemplateFile]? = nil
    ) -> ActionTemplate {
        ActionTemplate(
            name: name, task: task, method: method, summary: summary, file: file, needs: needs ?? [findRecord, functions])
    }
}
