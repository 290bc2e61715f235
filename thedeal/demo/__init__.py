"""The demo borough, above every app: `thedeal load_demo` calls each app's own demo generator in
turn, from the bottom layer up (docs/adr/0004-layers.md). An app that joins the demo adds its
step to management/commands/load_demo.py; its data and how it is generated stay in the app."""
