import Testing

/// Every business-backend suite, one test at a time. Each test starts Core, Auth and a backend
/// (three databases, three daemons); run beside each other and beside the rest of the suite they
/// would add a dozen daemons and database creations to its busiest first minute, where
/// unrelated tests then missed their deadlines.
@Suite(.serialized) enum BackendSuites {}
