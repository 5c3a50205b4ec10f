"""The complaints HTTP API, a router per kind of caller: `citizens` file and follow,
`regulators` work their regions' cases, `enterprises` see and answer the complaints about
themselves (masked), and `disclosure` publishes counts. Routes parse, call a use case
(`handlers`) or a read (`queries`), and present (`views`)."""
