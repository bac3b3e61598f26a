"""The platform side of the ERP connectors (the connectors themselves live in
`markethub.connectors`: plain libraries that know nothing of our database or queue).

    connections.py   Integration row -> connector session (settings, sealed credentials, governor)
    governor.py      the SDK's rate-governor backend in Redis, shared by every process
    engine.py        one sync run: page from the checkpoint, write through our services, resume
    runs.py          the sync run record, step by step       prefetch.py   read the next page ahead
    upsert_*.py      pulled products/stock and orders/customers -> our services (id map: refs.py)
    pushes.py        update_stock / create_order / create_invoice, recorded and retried
    push_actions.py  our record -> the action's inputs; its output -> the id map
    reactions.py     events -> pushes (called by the outbox dispatcher)
    scheduler.py     the periodic tick: automatic syncs, stalled runs, due pushes
    oauth.py         the authorization-code connection (Bling)
    status.py        connected / disconnected / error and their events
    queueing.py      the RQ jobs (platform/jobs/sync.py)

Use cases the API and the hub call are in `platform/services/integrations.py` and
`platform/services/integration_runs.py`.
"""
