// Runs in every test file. Integration files register their checks on the databases they made (see db.ts);
// the ledger check is added here once the ledger exists, so it runs after every integration test file.
export {};
