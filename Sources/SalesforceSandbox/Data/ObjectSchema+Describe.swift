import ParleyJSON

extension ObjectSchema {
    /// `GET /sobjects/<name>/describe` for API `version`.
    func describe(version: String) -> JSONValue {
        var object = summary(version: version)
        object["fields"] = .array(fields.map { $0.describe() })
        object["childRelationships"] = .array(
            children.map { child in
                [
                    "cascadeDelete": false, "childSObject": .string(child.object), "deprecatedAndHidden": false,
                    "field": .string(child.field), "junctionIdListNames": [], "junctionReferenceTo": [],
                    "relationshipName": .string(child.relationship), "restrictedDelete": false,
                ]
            })
        object["recordTypeInfos"] = [
            [
                "active": true, "available": true, "defaultRecordTypeMapping": true, "developerName": "Master",
                "master": true, "name": "Master", "recordTypeId": "012000000000000AAA",
                "urls": ["layout": .string("/services/data/v\(version)/sobjects/\(name)/describe/layouts/012000000000000AAA")],
            ]
        ]
        object["actionOverrides"] = []
        object["namedLayoutInfos"] = []
        object["supportedScopes"] = [["label": .string("All \(labelPlural.lowercased())"), "name": "everything"]]
        object["networkScopeFieldName"] = .null
        return .object(object)
    }

    /// The short form in `describeGlobal` and `GET /sobjects/<name>`.
    func summary(version: String) -> [String: JSONValue] {
        let base = "/services/data/v\(version)/sobjects/\(name)"
        var urls: [String: JSONValue] = [
            "sobject": .string(base), "describe": .string("\(base)/describe"),
            "rowTemplate": .string("\(base)/{ID}"),
        ]
        if isWritable {
            urls["layouts"] = .string("\(base)/describe/layouts")
            urls["compactLayouts"] = .string("\(base)/describe/compactLayouts")
            urls["quickActions"] = .string("\(base)/quickActions")
        }
        return [
            "name": .string(name), "label": .string(label), "labelPlural": .string(labelPlural),
            "keyPrefix": .string(keyPrefix), "custom": false, "customSetting": false, "createable": .bool(isWritable),
            "updateable": .bool(isWritable), "deletable": .bool(isWritable), "queryable": true, "retrieveable": true,
            "searchable": .bool(isWritable), "layoutable": .bool(isWritable), "mergeable": .bool(isWritable),
            "replicateable": true, "triggerable": true, "undeletable": .bool(isWritable), "activateable": false,
            "deprecatedAndHidden": false, "feedEnabled": true, "hasSubtypes": false, "isSubtype": false,
            "mruEnabled": true, "isInterface": false, "deepCloneable": false, "associateEntityType": .null,
            "associateParentEntity": .null, "urls": .object(urls),
        ]
    }
}

extension FieldDefinition {
    /// One entry of `describe`'s `fields`.
    func describe() -> JSONValue {
        let textual = type.isText
        let sortable = type != .textarea
        var object: [String: JSONValue] = [
            "name": .string(name), "label": .string(label), "type": .string(type.rawValue),
            "soapType": .string(type.soapType), "length": .number(Double(textual ? length : 0)),
            "byteLength": .number(Double(textual ? length * 3 : 0)), "precision": .number(Double(precision)),
            "scale": .number(Double(scale)), "digits": .number(Double(type == .int ? precision : 0)),
            "nillable": .bool(nillable), "createable": .bool(createable), "updateable": .bool(updateable),
            "defaultedOnCreate": .bool(defaultedOnCreate),
            "defaultValue": defaultValue.map { type == .boolean ? .bool($0 == "true") : .string($0) } ?? .null,
            "defaultValueFormula": .null, "restrictedPicklist": .bool(restrictedPicklist), "nameField": .bool(nameField),
            "externalId": .bool(externalID), "idLookup": .bool(name == "Id" || type == .email || nameField),
            "unique": false, "calculated": .bool(calculated), "calculatedFormula": .null,
            "referenceTo": .array(referenceTo.map { .string($0) }),
            "relationshipName": relationshipName.map { .string($0) } ?? .null, "relationshipOrder": .null,
            "filterable": .bool(type != .textarea || length <= 255), "sortable": .bool(sortable),
            "groupable": .bool(sortable && !type.isNumeric && type != .datetime), "aggregatable": true,
            "custom": false, "autoNumber": false, "caseSensitive": false, "cascadeDelete": false,
            "compoundFieldName": .null, "controllerName": .null, "dependentPicklist": false,
            "deprecatedAndHidden": false, "displayLocationInDecimal": false, "encrypted": false,
            "extraTypeInfo": .null, "highScaleNumber": false, "htmlFormatted": false, "inlineHelpText": .null,
            "mask": .null, "maskType": .null, "namePointing": false, "permissionable": .bool(nillable && createable),
            "polymorphicForeignKey": .bool(name == "OwnerId"), "queryByDistance": false, "referenceTargetField": .null,
            "restrictedDelete": false, "searchPrefilterable": false, "writeRequiresMasterRead": false,
        ]
        object["picklistValues"] = .array(
            picklistValues.map { value in
                [
                    "active": true, "defaultValue": .bool(value == defaultValue), "label": .string(value),
                    "validFor": .null, "value": .string(value),
                ]
            })
        return .object(object)
    }
}
