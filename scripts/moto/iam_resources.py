"""IAM enforcement (INITIAL_NO_AUTH_ACTION_COUNT, /moto-api/reset-auth) for requests whose resource moto does not know.

moto 5.2.x authorises most services' requests against the resource "*" (only IAM role calls, STS AssumeRole, S3
and SQS name their resource), so a statement scoped to ARNs, e.g. ecs:CreateService on
arn:aws:ecs:...:service/<cluster>/*, never matches and the request is refused although AWS would allow it. With
this patch an Allow scoped to resources counts for such a request (moto checks the action, as far as it can), and
a Deny counts only when it names "*" (a Deny scoped to other resources must not refuse a request moto cannot
place). Resource scoping, conditions other than StringEquals on request values, permissions boundaries and
resource policies are therefore not enforced here: test/infra/ci-roles.test.ts evaluates those from the policy
documents. Nothing changes while enforcement is off (the default), and requests with a known resource are
checked as before.

moto also names a few S3 bucket requests by their API operation rather than by the IAM action AWS checks
(HeadBucket is s3:ListBucket, the public access block calls are s3:*BucketPublicAccessBlock): with enforcement on,
a role granted the IAM actions was refused. They are renamed to AWS's IAM actions. Likewise moto takes the
action's service prefix from the request's signing name, which for CloudWatch is "monitoring", not the IAM
prefix "cloudwatch".

And moto answers a refused request in the XML error format whatever the service's protocol, which the AWS SDKs of
JSON-protocol services (Secrets Manager, ECR, ECS, KMS, CloudWatch Logs, ...) cannot parse (the JavaScript SDK
throws a SyntaxError instead of the refusal). For those requests the refusal is sent as AWS sends it: JSON,
`{"__type": "AccessDeniedException", ...}`.
"""

from typing import Any

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import JsonRESTError, _RESTError
from moto.iam.access_control import IAMPolicyStatement, IAMRequestBase

_original = IAMPolicyStatement._check_element_matches


def _check_element_matches(self: IAMPolicyStatement, statement_element: Any, value: str) -> bool:
    if statement_element == "Resource" and value == "*":
        if self._statement.get("Effect") == "Allow":
            return True
        resources = self._statement.get("Resource")
        return "*" in (resources if isinstance(resources, list) else [resources])
    return _original(self, statement_element, value)


# S3 operations whose IAM action differs from the operation's name (AWS's "Actions, resources, and condition keys
# for Amazon S3"), by moto's ACTION_MAP entry.
_S3_IAM_ACTIONS = {
    ("BUCKET", "HEAD", "DEFAULT"): "ListBucket",
    ("BUCKET", "GET", "public_access_block"): "GetBucketPublicAccessBlock",
    ("BUCKET", "PUT", "public_access_block"): "PutBucketPublicAccessBlock",
    ("BUCKET", "DELETE", "public_access_block"): "PutBucketPublicAccessBlock",
}


# Signing names whose IAM action prefix differs.
_IAM_PREFIXES = {"monitoring": "cloudwatch"}
_original_init = IAMRequestBase.__init__


def _init(self: IAMRequestBase, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    service, _, action = self._action.partition(":")
    if service in _IAM_PREFIXES:
        self._action = f"{_IAM_PREFIXES[service]}:{action}"


_original_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action


def _authorize(self: Any, resource: str = "*") -> None:
    try:
        _original_authorize(self, resource)
    except _RESTError as error:
        # JSON-protocol requests name their operation in X-Amz-Target.
        headers = self.headers or {}
        if not (headers.get("X-Amz-Target") or headers.get("x-amz-target")):
            raise
        denied = JsonRESTError(
            "AccessDeniedException" if error.error_type == "AccessDenied" else error.error_type, error.message
        )
        denied.code = error.code
        raise denied from None


def install() -> None:
    IAMPolicyStatement._check_element_matches = _check_element_matches  # type: ignore[method-assign]
    IAMRequestBase.__init__ = _init  # type: ignore[method-assign]
    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize  # type: ignore[method-assign]

    from moto.s3.responses import ACTION_MAP

    for (kind, method, key), action in _S3_IAM_ACTIONS.items():
        if key in ACTION_MAP.get(kind, {}).get(method, {}):
            ACTION_MAP[kind][method][key] = action
