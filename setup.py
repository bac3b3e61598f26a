"""Package discovery: every folder below platform/, recipes/ and connectors/ is installed under
`markethub.` (pyproject maps the folders; it cannot prefix discovered names by itself)."""
from setuptools import find_namespace_packages, setup

ROOTS = ("platform", "recipes", "connectors")

setup(packages=[f"markethub.{name}" for name in find_namespace_packages(
    include=[f"{root}*" for root in ROOTS], exclude=["*.__pycache__", "*.__pycache__.*"])])
