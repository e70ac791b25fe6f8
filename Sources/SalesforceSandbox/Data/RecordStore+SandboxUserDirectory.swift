/// The OAuth server looks users up through `SandboxUserDirectory`; the record store is that directory.
extension RecordStore: SandboxUserDirectory {}
