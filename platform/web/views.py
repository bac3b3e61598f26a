from flask import Blueprint

web = Blueprint("web", __name__, url_prefix="/hub")


@web.get("/")
def home():
    return "hub"
