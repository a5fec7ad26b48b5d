"""The Pulumi dynamic provider that manages one ECR pull-through cache rule.

The engine pickles the provider into state (as ``__provider``) and unpickles it
in a separate process for every operation. The provider therefore keeps no
client, session, credential or endpoint: it is pickled by reference to this
module, and each method makes its own client from the environment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import botocore.exceptions
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import aws
from .errors import (
    AwsOperationError,
    CredentialValidationError,
    ImportMismatchError,
    InvalidArgumentError,
    RuleAlreadyExistsError,
    RuleNotFoundError,
)
from .fields import FIELDS, IMPORT_KEY, ROOT, Change, compare
from .validation import check_rule, upstream_for

if TYPE_CHECKING:
    from mypy_boto3_ecr.client import ECRClient

log = logging.getLogger(__name__)


class PullThroughCacheRuleProvider(ResourceProvider):
    """Creates, reads, updates and deletes an ECR pull-through cache rule.

    Property names follow Terraform's ``aws_ecr_pull_through_cache_rule``:
    ``ecr_repository_prefix``, ``upstream_registry_url``,
    ``upstream_repository_prefix``, ``credential_arn`` and ``custom_role_arn``,
    plus ``region`` and ``validate_credentials``. The resource's id is the
    ECR repository prefix.
    """

    # The pickled provider is a reference to this class and holds no secret,
    # so state need not encrypt it.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Take ``aws:profile`` from the stack's config, as pulumi-aws does."""
        profile = req.config.get("aws:profile")
        self._profile = profile if isinstance(profile, str) and profile else None

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate every input before any AWS call and report all failures.

        A missing Region is filled from the provider's AWS environment, so the
        Region is stored with the rule and later steps reach the same one.
        """
        inputs = dict(news)
        if inputs.get("region") is None:
            region = self._default_region()
            if region is not None:
                inputs["region"] = region

        failures = [CheckFailure(f.argument, f.message) for f in check_rule(inputs)]
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Compare the rule in state with the program.

        The prefix is the rule's identity in the registry, so a replacement
        always deletes the old rule before creating the new one.
        """
        changes = compare(olds, news)
        if changes.replaces and news.get(IMPORT_KEY):
            # Like Pulumi's own import_: a rule imported by id cannot be
            # replaced while the option remains, because the replacement's
            # create would adopt, and find only the rule it just deleted.
            raise InvalidArgumentError(
                "opts.import_",
                news.get(IMPORT_KEY),
                f"{', '.join(changes.replaces)} changed, which replaces the rule, "
                "but the import_ option is still set; remove import_ from the "
                "program (the rule is already managed), then run pulumi up again",
            )
        return DiffResult(
            changes=changes.any,
            replaces=changes.replaces,
            delete_before_replace=True,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the rule, or adopt an existing one when import was requested."""
        prefix = props["ecr_repository_prefix"]
        client = self._client(props)

        if props.get(IMPORT_KEY):
            return CreateResult(prefix, self._adopt(client, props))

        rule = self._create_rule(client, props)
        if props.get("validate_credentials"):
            self._validate_or_undo_create(client, props)
        return CreateResult(prefix, to_outputs(rule, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Read the rule from AWS; a rule deleted outside Pulumi leaves state."""
        client = self._client(props)
        rule = aws.find_rule(client, id_)

        if rule is None and props.get("created_at") is None:
            # No earlier outputs means a lookup (`get`), not a refresh.
            raise RuleNotFoundError(id_, props.get("region"))
        if rule is None:
            log.warning(
                "ECR pull-through cache rule %s no longer exists; removing it "
                "from state",
                id_,
            )
            return ReadResult("", {})
        return ReadResult(id_, to_outputs(rule, props))

    def update(
        self, id_: str, olds: dict[str, Any], news: dict[str, Any]
    ) -> UpdateResult:
        """Send only the changed ARNs, in one UpdatePullThroughCacheRule call."""
        client = self._client(news)
        changed = arn_changes(olds, news)

        outs = {**olds, **settings_of(news)}
        if changed:
            response = self._update_rule(client, id_, changed)
            outs.update(arn_outputs(response))
        if changed and news.get("validate_credentials"):
            self._validate_or_undo_update(client, id_, olds, changed)
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the rule; one that is already gone counts as deleted."""
        client = self._client(props)
        log.debug("deleting ECR pull-through cache rule %s", id_)
        try:
            client.delete_pull_through_cache_rule(ecrRepositoryPrefix=id_)
        except botocore.exceptions.ClientError as err:
            if aws.error_code(err) != aws.NOT_FOUND:
                raise aws.translate(err, "deleting", id_) from err
            log.warning("ECR pull-through cache rule %s was already deleted", id_)
        except botocore.exceptions.BotoCoreError as err:
            raise aws.translate(err, "deleting", id_) from err

    # Helpers. Each AWS mutation lives in one method, logged at DEBUG.

    def _profile_name(self) -> str | None:
        return getattr(self, "_profile", None)

    def _default_region(self) -> str | None:
        return aws.environment_region(self._profile_name())

    def _client(self, props: Mapping[str, Any]) -> ECRClient:
        region = props.get("region") or self._default_region()
        if region is None:
            raise InvalidArgumentError(
                "region",
                None,
                "no AWS Region is set: pass region=, set the aws:region stack "
                "config, or set AWS_REGION",
            )
        return aws.make_client(region, self._profile_name())

    def _create_rule(
        self, client: ECRClient, props: Mapping[str, Any]
    ) -> dict[str, Any]:
        prefix = props["ecr_repository_prefix"]
        request = create_request(props)

        log.debug("creating ECR pull-through cache rule %s", prefix)
        started = datetime.now(timezone.utc)
        try:
            return dict(client.create_pull_through_cache_rule(**request))
        except (
            botocore.exceptions.ClientError,
            botocore.exceptions.BotoCoreError,
        ) as err:
            own = (
                self._find_own_rule(client, props, started)
                if is_ambiguous(err)
                else None
            )
            if own is not None:
                return own
            error = aws.translate(err, "creating", prefix)
            if isinstance(error, RuleAlreadyExistsError):
                hint = ALREADY_EXISTS_HINT.replace("<prefix>", repr(prefix))
                error.args = (f"{error}. {hint}",)
            raise error from err

    def _find_own_rule(
        self, client: ECRClient, props: Mapping[str, Any], started: datetime
    ) -> dict[str, Any] | None:
        """Find the rule that a create whose outcome is unknown may have made.

        A create that timed out or failed with a 5xx may still have succeeded.
        A rule that matches the request and was created at most CLOCK_SKEW
        before the call began is taken as this create's, because otherwise it
        would be left in AWS with no state to manage it. A failed lookup
        leaves the original error to be reported.
        """
        prefix = props["ecr_repository_prefix"]
        for attempt in range(OWN_RULE_LOOKUPS):
            if attempt:
                time.sleep(OWN_RULE_LOOKUP_INTERVAL)
            try:
                rule = aws.find_rule(client, prefix)
            except AwsOperationError:
                return None
            if rule is None:
                continue
            created = rule.get("createdAt")
            recent = isinstance(created, datetime) and created >= started - CLOCK_SKEW
            if recent and not compare(to_outputs(rule, props), props).any:
                log.warning(
                    "create of ECR pull-through cache rule %s failed, but a "
                    "matching rule was created since the call began; taking it "
                    "as created",
                    prefix,
                )
                return rule
            return None
        return None

    def _update_rule(
        self, client: ECRClient, prefix: str, changed: Mapping[str, str]
    ) -> dict[str, Any]:
        log.debug(
            "updating ECR pull-through cache rule %s: %s", prefix, sorted(changed)
        )
        try:
            return dict(
                client.update_pull_through_cache_rule(
                    ecrRepositoryPrefix=prefix, **changed
                )
            )
        except (
            botocore.exceptions.ClientError,
            botocore.exceptions.BotoCoreError,
        ) as err:
            raise aws.translate(err, "updating", prefix) from err

    def _adopt(self, client: ECRClient, props: Mapping[str, Any]) -> dict[str, Any]:
        """Bring an existing rule under management without recreating it."""
        prefix = props["ecr_repository_prefix"]
        rule = aws.find_rule(client, prefix)
        if rule is None:
            raise RuleNotFoundError(
                prefix,
                props.get("region"),
                "nothing to import and nothing was created; check the prefix and "
                "region, or remove the import option to create a new rule",
            )

        current = to_outputs(rule, props)
        changes = compare(current, props)
        if changes.replaces:
            differences = {
                name: (current.get(name), props.get(name)) for name in changes.replaces
            }
            raise ImportMismatchError(prefix, differences)

        changed = arn_changes(current, props)
        if changed:
            before = dict(current)
            response = self._update_rule(client, prefix, changed)
            current.update(arn_outputs(response))
            if props.get("validate_credentials"):
                self._validate_or_undo_update(client, prefix, before, changed)
        return current

    def _validate(
        self, client: ECRClient, props: Mapping[str, Any], prefix: str
    ) -> None:
        upstream = upstream_for(str(props.get("upstream_registry_url")))
        if upstream is None or not upstream.needs_credential:
            return
        try:
            result = client.validate_pull_through_cache_rule(ecrRepositoryPrefix=prefix)
        except (
            botocore.exceptions.ClientError,
            botocore.exceptions.BotoCoreError,
        ) as err:
            raise aws.translate(err, "validating", prefix) from err
        if not result.get("isValid", False):
            raise CredentialValidationError(
                prefix, result.get("failure") or "no reason given"
            )

    def _validate_or_undo_create(
        self, client: ECRClient, props: Mapping[str, Any]
    ) -> None:
        # A failed create leaves nothing in state, so a rule left in AWS would
        # be orphaned: delete it before reporting the failure, whatever failed.
        prefix = props["ecr_repository_prefix"]
        try:
            self._validate(client, props, prefix)
        except Exception:
            try:
                self.delete(prefix, dict(props))
            except AwsOperationError as err:
                log.error(
                    "could not delete ECR pull-through cache rule %s after its "
                    "validation failed; delete it by hand: %s",
                    prefix,
                    err,
                )
            raise

    def _validate_or_undo_update(
        self,
        client: ECRClient,
        prefix: str,
        olds: Mapping[str, Any],
        changed: Mapping[str, str],
    ) -> None:
        # A failed update keeps the old state, so put the old ARNs back in AWS,
        # whatever made the validation fail.
        try:
            self._validate(client, olds, prefix)
        except Exception:
            previous = {
                aws_name: olds[name]
                for name, aws_name in ARN_FIELDS.items()
                if aws_name in changed and olds.get(name)
            }
            try:
                if previous:
                    self._update_rule(client, prefix, previous)
            except AwsOperationError as err:
                log.error(
                    "could not restore the previous ARNs of ECR pull-through cache "
                    "rule %s after its validation failed; run pulumi refresh: %s",
                    prefix,
                    err,
                )
            raise


ALREADY_EXISTS_HINT = (
    "To manage the existing rule, pass "
    "opts=pulumi.ResourceOptions(import_=<prefix>) to PullThroughCacheRule, or "
    "run: python -m ptc_provider.importer --prefix <prefix>"
)

# A create whose outcome is unknown is looked up this many times, this many
# seconds apart, because the rule may appear only after the call timed out.
OWN_RULE_LOOKUPS = 3
OWN_RULE_LOOKUP_INTERVAL = 2.0
CLOCK_SKEW = timedelta(seconds=5)
"""How far AWS's clock may trail this machine's when a rule's age is judged."""


def is_ambiguous(err: Exception) -> bool:
    """Tell whether a failed create may nonetheless have created the rule."""
    if isinstance(
        err,
        (
            botocore.exceptions.ReadTimeoutError,
            botocore.exceptions.ConnectionClosedError,
        ),
    ):
        return True
    if not isinstance(err, botocore.exceptions.ClientError):
        return False
    # "Already exists" after a retry is not taken as ambiguous: the earlier
    # attempt may have been throttled, so the rule may be someone else's, and
    # adopting it would let this stack delete it later.
    status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    return status >= 500


ARN_FIELDS: dict[str, str] = {
    field.name: str(field.aws_name)
    for field in FIELDS
    if field.change is Change.IN_PLACE
}


def create_request(props: Mapping[str, Any]) -> dict[str, Any]:
    """Build CreatePullThroughCacheRule's request; omitted arguments are not sent."""
    request: dict[str, Any] = {}
    for field in FIELDS:
        value = props.get(field.name)
        if field.aws_name is None or value is None or value == "":
            continue
        request[field.aws_name] = value
    return request


def arn_changes(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, str]:
    """Return the ARNs to send to Update: changed ones with a value, never empty."""
    changed: dict[str, str] = {}
    for name, aws_name in ARN_FIELDS.items():
        new = news.get(name)
        if new and new != olds.get(name):
            changed[aws_name] = new
    return changed


def arn_outputs(response: Mapping[str, Any]) -> dict[str, Any]:
    outs = {name: response.get(aws_name) for name, aws_name in ARN_FIELDS.items()}
    outs["updated_at"] = aws.iso_timestamp(response.get("updatedAt"))
    return outs


def settings_of(props: Mapping[str, Any]) -> dict[str, Any]:
    return {
        field.name: props.get(field.name)
        for field in FIELDS
        if field.change is Change.SETTING
    }


def image_uri_prefix(registry_id: str | None, region: str | None, prefix: str) -> str:
    """Return the image URI prefix that pulls through the rule."""
    host = f"{registry_id}.dkr.ecr.{region}.amazonaws.com"
    return host if prefix == ROOT else f"{host}/{prefix.rstrip('/')}"


def to_outputs(rule: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
    """Map a rule as AWS describes it to the resource's outputs."""
    outs: dict[str, Any] = {}
    for field in FIELDS:
        if field.aws_name is None:
            outs[field.name] = props.get(field.name)
        else:
            outs[field.name] = rule.get(field.aws_name)

    prefix = str(rule.get("ecrRepositoryPrefix", props.get("ecr_repository_prefix")))
    url = rule.get("upstreamRegistryUrl")
    upstream = upstream_for(url) if isinstance(url, str) else None
    outs["registry_id"] = rule.get("registryId")
    outs["upstream_registry"] = rule.get("upstreamRegistry") or (
        upstream.kind if upstream else None
    )
    outs["created_at"] = aws.iso_timestamp(rule.get("createdAt"))
    outs["updated_at"] = aws.iso_timestamp(rule.get("updatedAt"))
    outs["image_uri_prefix"] = image_uri_prefix(
        rule.get("registryId"), props.get("region"), prefix
    )
    return outs


__all__ = ["PullThroughCacheRuleProvider"]
