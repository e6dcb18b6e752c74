// Placeholder; see issues.
