"""Every read of the inspections service, by concern: `directory` (who may be drawn, and who
may inspect them), `campaigns` (campaigns, draws, the public page) and `inspections` (one
inspection, its samples, the laboratories' and the enterprises' views)."""
