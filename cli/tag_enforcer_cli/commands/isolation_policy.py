"""`tag-enforcer isolation-policy`: print a domain's IAM isolation policy documents as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from tag_enforcer_cli.isolation_policy import (
    IsolationPolicyInputError,
    build_isolation_policy,
    is_domain_id,
    parse_domain_arn,
    user_profile_arn,
)

COMMAND = "isolation-policy"
EXIT_OK = 0
EXIT_USAGE_OR_LOOKUP = 2


class DomainLookupError(RuntimeError):
    """A domain id that DescribeDomain could not turn into an ARN."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="print the per-domain IAM isolation policy (a JSON array of documents)",
        description=(
            "Print the IAM policy that lets a principal create SageMaker resources only "
            "when they are tagged with this domain's ARN, and use only resources "
            "tagged with it. The output is a JSON array of managed policy documents: "
            "create each one and attach all of them to the role. With a domain ARN "
            "no AWS call is made."
        ),
    )
    parser.add_argument(
        "--domain",
        required=True,
        metavar="DOMAIN",
        help="domain ARN, or domain id (d-...) resolved with sagemaker:DescribeDomain",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help=(
            "SageMaker user profile name: creates must also carry this profile's "
            "sagemaker:user-profile-arn tag (not an AWS credentials profile; use "
            "AWS_PROFILE for that)"
        ),
    )
    parser.add_argument(
        "--region", help="region of a domain id (default: AWS_REGION or the AWS config)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        domain_arn = resolve_domain_arn(args.domain, args.region)
        profile_arn = user_profile_arn(domain_arn, args.profile) if args.profile else None
        documents = build_isolation_policy(domain_arn, profile_arn)
    except (IsolationPolicyInputError, DomainLookupError) as error:
        print(f"tag-enforcer {COMMAND}: {error}", file=sys.stderr)
        return EXIT_USAGE_OR_LOOKUP
    sys.stdout.write(json.dumps(documents, indent=2) + "\n")
    return EXIT_OK


def resolve_domain_arn(domain: str, region: str | None) -> str:
    """The domain's ARN: checked as given, or looked up when `domain` is a domain id."""
    if domain.startswith("arn:"):
        arn = parse_domain_arn(domain)
        if region and region != arn.region:
            raise IsolationPolicyInputError(
                f"--region {region} does not match region {arn.region} of {domain}; "
                "drop --region, the ARN already names the region"
            )
        return str(arn)
    if not is_domain_id(domain):
        raise IsolationPolicyInputError(
            f"{domain!r} is neither a domain id (d-...) nor a domain ARN "
            "(arn:aws:sagemaker:<region>:<account>:domain/d-...)"
        )
    return _describe_domain_arn(domain, region)


def _describe_domain_arn(domain_id: str, region: str | None) -> str:
    where = f"region {region}" if region else "the default region"
    try:
        response = _sagemaker_client(region).describe_domain(DomainId=domain_id)
    except NoRegionError:
        raise DomainLookupError(
            f"no AWS region to look up {domain_id} in; pass --region or set AWS_REGION"
        ) from None
    except NoCredentialsError:
        raise DomainLookupError(
            f"no AWS credentials to look up {domain_id}; configure credentials "
            "(AWS_PROFILE, environment variables, SSO) or pass the domain ARN instead"
        ) from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        message = error.response.get("Error", {}).get("Message", "")
        if code in ("ResourceNotFound", "ValidationException"):
            raise DomainLookupError(
                f"domain {domain_id} was not found in {where} ({code}: {message}); check "
                "--region, or list domains with `aws sagemaker list-domains`"
            ) from None
        raise DomainLookupError(
            f"DescribeDomain {domain_id} failed in {where} ({code}: {message}); the caller "
            "needs sagemaker:DescribeDomain, or pass the domain ARN instead"
        ) from None
    except BotoCoreError as error:
        raise DomainLookupError(f"could not reach SageMaker in {where}: {error}") from None
    domain_arn: str = response["DomainArn"]
    return domain_arn


def _sagemaker_client(region: str | None) -> Any:
    # The default credential chain; boto3 itself honours AWS_ENDPOINT_URL.
    return boto3.client("sagemaker", region_name=region)
