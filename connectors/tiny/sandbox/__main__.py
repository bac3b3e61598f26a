from ...sandbox_kit.cli import main
from . import DEFAULT_PORT, create_app, serve

main("tiny", create_app, serve, DEFAULT_PORT)
