"""The only code that talks to AWS: boto3 clients and one adapter per API family.

Each adapter turns botocore errors into the domain's (`tag_enforcer.core.errors`), so
nothing above this package inspects a `ClientError`. Only `tag_enforcer.wiring` builds them."""
