"""Prints what `make run` started and how to log in (the same data is in the JSON file)."""
import json
import sys

credentials = json.loads(open(sys.argv[1]).read())
print(f"""
  MarketHub Integrations is starting (Ctrl+C stops everything)

  Hub (pt-BR):   {credentials['hub_url']}
                 login {credentials['hub_user']['email']} / {credentials['hub_user']['password']}
  API docs:      {credentials['docs_url']}
  API key:       {credentials['api_key']}
  OAuth client:  {credentials['oauth_client']['client_id']}
                 secret {credentials['oauth_client']['client_secret']}
  Credentials as JSON: {sys.argv[1]}
""", flush=True)
