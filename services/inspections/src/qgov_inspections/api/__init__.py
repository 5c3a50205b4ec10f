"""The inspections API's routes, by caller: `roster` (regulators keep inspectors, conflicts,
laboratories and the directory), `campaigns` (regulators publish and draw; everyone reads the
campaign page and re-runs the draw), `inspections` (regulators sample and follow up,
enterprises object) and `laboratories` (blind samples and results). Every path is under
/api/v1/inspections, where the gateway routes."""

PREFIX = "/api/v1/inspections"
