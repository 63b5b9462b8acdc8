"""The commands beyond run, report and plot: compare, sweep and capacity, and their shared options.

Between `simulator.cli` (which parses and dispatches) and the rooms below; nothing imports it
but the CLI.
"""
