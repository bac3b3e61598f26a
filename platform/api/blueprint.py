"""flask-smorest's Blueprint, parsing JSON bodies with the app's exact (Decimal) JSON provider."""
import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class ExactParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request):
        if not is_json_request(req):
            return core.missing
        return flask.current_app.json.loads(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ExactParser()
