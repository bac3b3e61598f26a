from flask.views import MethodView

from ...auth.principal import authenticate
from ...events import event_log
from ...events.catalogue import EVENT_TYPES
from ...models import Event
from ..access import requires
from ..blueprint import Blueprint
from ..common import get_owned, list_schema, paginate
from ..webhooks import examples
from .schemas import EventListArgs, EventSchema, EventTypeListArgs, EventTypeSchema

blp = Blueprint("events", __name__, url_prefix="/v1/events",
                description="The account's event log (pull instead of receiving webhooks) and "
                            "the catalogue of event types.")


@blp.route("")
class Events(MethodView):
    @requires("events:read")
    @blp.arguments(EventListArgs, location="query")
    @blp.response(200, list_schema(EventSchema), example=examples.page(examples.EVENT))
    def get(self, args):
        """List events, newest first

        Each event is the webhook payload: `{id, event, timestamp, tenant_id, data}`. Filter by
        `type` (`order.*` works) and time; page with `cursor`. Poll this instead of receiving
        webhooks when you have no public URL.
        """
        page = paginate(event_log.list_statement(authenticate(), args), Event.id, args)
        page["data"] = [event_log.represent(event) for event in page["data"]]
        return page


@blp.route("/types")
class EventTypes(MethodView):
    @requires("events:read")
    @blp.arguments(EventTypeListArgs, location="query")
    @blp.response(200, list_schema(EventTypeSchema),
                  example=examples.page(examples.event_type("product.stock_low")))
    def get(self, args):
        """List the event types, with when each fires, its JSON Schema and an example"""
        types = [t for t in EVENT_TYPES if args.get("group") in (None, t.group)]
        return {"data": types, "has_more": False, "next_cursor": None}


@blp.route("/<event_id>")
class EventById(MethodView):
    @requires("events:read")
    @blp.response(200, EventSchema, example=examples.EVENT)
    def get(self, event_id):
        """Get an event"""
        return event_log.represent(get_owned(Event, event_id, "event"))
