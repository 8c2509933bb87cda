"""The router: classify, apply the rules, assign; pure decisions wrapped by a consumer and a store."""
