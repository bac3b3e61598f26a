from flask.views import MethodView
from marshmallow import fields

from ..schema import Schema

from ...services.integration_runs import connector_catalogue
from ..access import requires
from ..blueprint import Blueprint
from ..integrations import examples

blp = Blueprint("catalogue", __name__, url_prefix="/v1/catalogue",
                description="Every connector, with its auth schema, actions, triggers and syncs.")


class CatalogueSchema(Schema):
    format_version = fields.Integer(metadata={"example": 1})
    digest = fields.String(metadata={"description": "sha256 of the connectors: the same "
                                                    "digest, the same catalogue."})
    connectors = fields.List(fields.Dict(), metadata={
        "description": "Sorted by key; operation keys (`bling.create_order`) never change."})


@blp.route("")
class Catalogue(MethodView):
    @requires("integrations:read")
    @blp.response(200, CatalogueSchema, example=examples.CATALOGUE)
    def get(self):
        """Get the connector catalogue

        One versioned document of every connector, action, trigger and sync, with input and
        output JSON Schemas and samples — what configuration forms, the recipe builder and the
        Zapier/Make apps are generated from.
        """
        return connector_catalogue()
