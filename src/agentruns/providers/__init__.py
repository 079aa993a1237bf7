"""One module per provider: its clients, its ids and includes, nothing else."""
