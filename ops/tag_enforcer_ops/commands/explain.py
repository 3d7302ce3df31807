"""`tag-enforcer explain ARN`: why a resource belongs to a domain, or why the enforcer cannot tell.

Reads the resource (Describe, else its type's pages), its tags and its parents' tags
(ListTags) and the domain directory, then applies the sweep's rules and prints the
decision with every piece of evidence it rests on. It changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.table import Table

from tag_enforcer import registry
from tag_enforcer.arns import Arn, InvalidArnError
from tag_enforcer.attribution import AttributionDecision, Outcome, attribute
from tag_enforcer.aws_clients import client
from tag_enforcer.directory import read_directory
from tag_enforcer.enumeration import AccountScope, SweptResource, read_page
from tag_enforcer.errors import ResourceGoneError, TransientAwsError
from tag_enforcer.registry import ListEnumeration, ResourceType
from tag_enforcer.sweep_aws import AccessDeniedError, ResourceGroupsTagging, SageMakerCatalogApi
from tag_enforcer.sweep_evidence import attribution_request, enforced_tags, parent_references
from tag_enforcer.tagging import SageMakerTags
from tag_enforcer_ops.aws_errors import explain as explain_error

COMMAND = "explain"
EXIT_OK = 0
EXIT_REFUSED = 2
# Without a Describe call for the type, the resource is looked for in its type's pages;
# past this many pages the operator is better served by a Describe of their own.
MAX_PAGES_SEARCHED = 50


class ExplainError(RuntimeError):
    """The ARN cannot be explained: not SageMaker, not a registered type, or not found."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        COMMAND,
        help="print why a resource belongs where it does (decision and evidence)",
        description=__doc__,
    )
    parser.add_argument("arn", help="the SageMaker resource ARN")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    client.cache_clear()
    try:
        explanation = explain_resource(args.arn)
    except ExplainError as error:
        print(f"tag-enforcer {COMMAND}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except (BotoCoreError, ClientError, AccessDeniedError, TransientAwsError) as error:
        message = explain_error(error) or f"{type(error).__name__}: {error}"
        print(f"tag-enforcer {COMMAND}: {message}", file=sys.stderr)
        return EXIT_REFUSED
    Console().print(explanation)
    return EXIT_OK


def _parse(arn_text: str) -> tuple[Arn, ResourceType]:
    try:
        arn = Arn.parse(arn_text)
    except InvalidArnError as error:
        raise ExplainError(f"{arn_text!r} is not an ARN") from error
    if arn.service != "sagemaker":
        raise ExplainError(f"{arn_text} is not a SageMaker ARN")
    resource_type = registry.for_arn_segment(arn.resource_segment)
    if resource_type is None:
        raise ExplainError(
            f"{arn.resource_segment!r} resources are not enforced by the tag enforcer "
            "(no registry entry)"
        )
    return arn, resource_type


def _describe_request(
    resource_type: ResourceType, arn: Arn, sagemaker: Any
) -> tuple[str, dict[str, str]] | None:
    """A Describe call whose key members the ARN itself supplies, if there is one."""
    names = dict(
        zip(
            (spec.split("|")[0] for spec in resource_type.arn_name_fields),
            arn.resource_path,
            strict=False,
        )
    )
    enumeration = resource_type.enumeration
    if isinstance(enumeration, ListEnumeration) and enumeration.describe_operation:
        operation = enumeration.describe_operation
    else:
        operation = f"Describe{resource_type.name}"
    model = sagemaker.meta.service_model
    if operation not in model.operation_names:
        return None
    request: dict[str, str] = {}
    for member in model.operation_model(operation).input_shape.required_members:
        if member.endswith("Arn"):
            request[member] = str(arn)
        elif member in names:
            request[member] = names[member]
        elif (
            isinstance(enumeration, ListEnumeration)
            and member in enumeration.describe_parameters
            and (
                key := enumeration.describe_key_fields[
                    enumeration.describe_parameters.index(member)
                ]
            )
            in names
        ):
            request[member] = names[key]
        else:
            return None
    return operation, request


def _find_in_pages(resource_type: ResourceType, arn: str, scope: AccountScope) -> dict[str, Any]:
    catalog = SageMakerCatalogApi(client("sagemaker", scope.region))
    tags = ResourceGroupsTagging(client("resourcegroupstaggingapi", scope.region))
    cursor: str | None = None
    for _ in range(MAX_PAGES_SEARCHED):
        page = read_page(resource_type, cursor, catalog, tags, scope)
        for resource in page.resources:
            if resource.arn.lower() == arn.lower():
                return dict(resource.document)
        cursor = page.next_cursor
        if cursor is None:
            break
    raise ExplainError(f"{arn} was not found among the {resource_type.name} resources listed")


def _document(resource_type: ResourceType, arn: Arn, scope: AccountScope) -> dict[str, Any]:
    sagemaker = client("sagemaker", scope.region)
    request = _describe_request(resource_type, arn, sagemaker)
    if request is None:
        return _find_in_pages(resource_type, str(arn), scope)
    operation, parameters = request
    try:
        return SageMakerCatalogApi(sagemaker).describe(operation, parameters)
    except ResourceGoneError:
        # Names inside ARNs are lower-cased; the resource may exist under another case.
        return _find_in_pages(resource_type, str(arn), scope)


def explain_resource(arn_text: str) -> Table:
    arn, resource_type = _parse(arn_text)
    scope = AccountScope(arn.partition, arn.region, arn.account)
    sagemaker = client("sagemaker", scope.region)
    tag_reader = SageMakerTags(sagemaker)
    document = _document(resource_type, arn, scope)
    try:
        tags = tag_reader.list_tags(arn_text)
    except ResourceGoneError as error:
        raise ExplainError(f"{arn_text} no longer exists") from error
    parents: dict[str, dict[str, str]] = {}
    for _, parent_arn in parent_references(resource_type, document, scope):
        try:
            parents[parent_arn.lower()] = tag_reader.list_tags(parent_arn)
        except ResourceGoneError:
            parents[parent_arn.lower()] = {}
    directory = read_directory(sagemaker, scope.partition, scope.region, scope.account, 0.0)
    resource = SweptResource(resource_type, arn_text, document, tags)
    request = attribution_request(resource, parents, scope)
    decision = attribute(request, directory)
    return explanation_table(resource, decision, parents)


def _tag_text(tags: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted(tags.items())) or "-"


def _what_the_sweep_does(decision: AttributionDecision) -> str:
    if decision.outcome is Outcome.COMPLIANT:
        return "nothing: the resource is compliant"
    if decision.outcome is Outcome.TAG:
        return "tag mode adds the missing tags above; audit mode and dry runs report them"
    if decision.outcome is Outcome.FLAG:
        return "reports it in the sweep's digest and report; existing values are never changed"
    return "nothing"


def explanation_table(
    resource: SweptResource,
    decision: AttributionDecision,
    parents: dict[str, dict[str, str]],
) -> Table:
    table = Table(title=f"Why {resource.arn}", show_header=False, show_lines=True, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("", overflow="fold")
    table.add_row("type", resource.resource_type.name)
    table.add_row("enforced tags now", _tag_text(enforced_tags(resource.tags)))
    verdict = decision.outcome.value + (f" ({decision.reason.value})" if decision.reason else "")
    table.add_row("decision", verdict)
    if decision.expected_tags:
        table.add_row("tags the evidence supports", _tag_text(dict(decision.expected_tags)))
    if decision.missing_tags:
        table.add_row("missing", _tag_text(dict(decision.missing_tags)))
    if decision.conflicting_tags:
        table.add_row(
            "contradicted",
            "\n".join(
                f"{k}: found {found}, evidence says {wanted or '(nothing that exists)'}"
                for k, (found, wanted) in sorted(decision.conflicting_tags.items())
            ),
        )
    for index, evidence in enumerate(decision.evidence, start=1):
        fields = ", ".join(f"{k}={v}" for k, v in evidence.fields.items())
        table.add_row(f"evidence {index}: {evidence.rule}", f"{fields}\n→ {evidence.conclusion}")
    for parent_arn, parent_tags in parents.items():
        table.add_row("parent", f"{parent_arn}\n{_tag_text(enforced_tags(parent_tags))}")
    table.add_row("what the sweep does", _what_the_sweep_does(decision))
    return table
