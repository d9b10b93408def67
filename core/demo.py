"""Development-only demo data. Never load it on a real platform."""

# Every demo account has this password; it is printed by ``make run`` and written in the README.
DEMO_PASSWORD = "Convergence-demo-2026"
