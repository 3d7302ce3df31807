"""One module per `tag-enforcer` subcommand; each exposes `register(subparsers)`."""
