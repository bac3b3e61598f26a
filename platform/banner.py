"""Prints what `make run` started and how to log in (the same data is in the JSON file)."""
import json
import sys

credentials = json.loads(open(sys.argv[1]).read())


def _sandboxes(data: dict) -> str:
    urls = data.get("erp_sandboxes") or {}
    return "\n                 ".join(f"{erp:<6}{url}" for erp, url in sorted(urls.items()))


def _integrations(data: dict) -> str:
    rows = data.get("integrations") or []
    lines = [f"{row['provider']:<6}{row['id']}  {row['status']}"
             + ("  (authorize it: Conectar in the hub, or POST "
                f"/v1/integrations/{row['id']}/oauth/start)" if row["status"] != "connected"
                else "")
             for row in rows]
    return "\n                 ".join(lines) or "none"


print(f"""
  MarketHub Integrations is starting (Ctrl+C stops everything)

  Hub (pt-BR):   {credentials['hub_url']}
                 login {credentials['hub_user']['email']} / {credentials['hub_user']['password']}
  API docs:      {credentials['docs_url']}
  API key:       {credentials['api_key']}
  OAuth client:  {credentials['oauth_client']['client_id']}
                 secret {credentials['oauth_client']['client_secret']}
  ERP sandboxes: {_sandboxes(credentials)}
  Integrations:  {_integrations(credentials)}
  Credentials as JSON: {sys.argv[1]}
""", flush=True)
