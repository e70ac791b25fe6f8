public import DialogModel

extension Bot {
    /// Whether any task or service node goes through this integration.
    public func usesIntegration(_ name: String) -> Bool {
        tasks.contains { task in
            task.integration == name
                || task.nodes.contains { node in
                    if case .service(let spec) = node.kind { return spec.integration == name }
                    return false
                }
        }
    }
}
