"""flask-smorest's Blueprint, parsing JSON bodies with the app's exact (Decimal) JSON provider
and refusing unknown parameters wherever they are sent."""
import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class ExactParser(FlaskParser):
    # Unknown query parameters are refused like unknown body fields: a mistyped filter
    # (`?stauts=paid`) must not silently answer the unfiltered list.
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None,
                                   "querystring": None}

    def _raw_load_json(self, req: flask.Request):
        if not is_json_request(req):
            return core.missing
        return flask.current_app.json.loads(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ExactParser()
