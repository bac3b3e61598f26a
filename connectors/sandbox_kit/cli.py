"""`python -m markethub.connectors.<erp>.sandbox --port N` for every sandbox."""
from __future__ import annotations

import argparse


def main(name: str, create_app, serve, default_port: int, argv=None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m markethub.connectors.{name}.sandbox",
                                     description=f"Local simulator of the {name} ERP API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--orders", type=int, default=120)
    parser.add_argument("--no-rate-limit", action="store_true",
                        help="answer every request (the real ERP would not)")
    args = parser.parse_args(argv)
    app = create_app(seed=args.seed, products=args.products, customers=args.customers,
                     orders=args.orders, rate_limit=not args.no_rate_limit)
    serve(args.host, args.port, app=app)
