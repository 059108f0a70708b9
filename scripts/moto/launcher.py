"""Start moto's server with the few AWS API handlers this project needs that moto does not implement yet.

Application Auto Scaling's ListTagsForResource/TagResource/UntagResource are missing from moto 5.2.x; the AWS
provider retries them forever, so aws_appautoscaling_target would hang. Each handler is added only when moto
lacks it, so a moto release that implements them takes over unchanged.

Three more fixes make moto answer as AWS does where the difference showed as a diff on every plan: ECS
CreateService keeps the fields moto drops (capacity provider strategy, deployment configuration, ...),
RegisterScalableTarget records its tags, and security group rules that reference another group keep their
description.

ACM issues a requested certificate at once (MOTO_ACM_VALIDATION_WAIT=0, unless set): moto reports it as pending
validation for its first 60 seconds otherwise, so every apply that waits for a certificate (the alb module's
DNS-validated one) would wait a minute for nothing; moto issues it anyway, validation records or not.

It also serves snapshots of the emulator's whole state when FAS_EMULATOR_SNAPSHOTS is set (snapshots.py), and,
when IAM enforcement is turned on, checks the actions of requests whose resource moto cannot name
(iam_resources.py).
"""

import json
import os
import sys
from collections import defaultdict

# Before moto is imported: moto.settings reads it once.
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse  # noqa: E402
from moto.server import main  # noqa: E402

# Tags per resource ARN. The emulator is a test double: process memory is the right lifetime for them.
_TAGS: "defaultdict[str, dict[str, str]]" = defaultdict(dict)


def _list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
    return json.dumps({"Tags": _TAGS[self._get_param("ResourceARN")]})


def _tag_resource(self: ApplicationAutoScalingResponse) -> str:
    _TAGS[self._get_param("ResourceARN")].update(self._get_param("Tags") or {})
    return "{}"


def _untag_resource(self: ApplicationAutoScalingResponse) -> str:
    tags = _TAGS[self._get_param("ResourceARN")]
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return "{}"


for name, handler in {
    "list_tags_for_resource": _list_tags_for_resource,
    "tag_resource": _tag_resource,
    "untag_resource": _untag_resource,
}.items():
    if not hasattr(ApplicationAutoScalingResponse, name):
        setattr(ApplicationAutoScalingResponse, name, handler)

# --- ECS CreateService: moto 5.2.x keeps only a few request fields (and records launchType EC2 when none is
# given). The AWS provider reads the others back, so every plan showed a diff, and a missing
# capacityProviderStrategy even forces the service's replacement. Keep them as AWS does; UpdateService already
# stores every field it gets.
from moto.core.utils import camelcase_to_underscores  # noqa: E402
from moto.ecs.responses import EC2ContainerServiceResponse  # noqa: E402

_ECS_SERVICE_FIELDS = (
    "capacityProviderStrategy",
    "deploymentConfiguration",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "enableECSManagedTags",
    "availabilityZoneRebalancing",
    "placementConstraints",
    "placementStrategy",
)
_moto_create_service = EC2ContainerServiceResponse.create_service


def _create_service(self: EC2ContainerServiceResponse):  # type: ignore[no-untyped-def]
    result = _moto_create_service(self)
    service = result.result["service"]
    for field in _ECS_SERVICE_FIELDS:
        value = self._get_param(field)
        if value is not None and getattr(service, camelcase_to_underscores(field), None) is None:
            setattr(service, camelcase_to_underscores(field), value)
    # AWS reports no launch type for a service placed by a capacity provider strategy.
    if self._get_param("capacityProviderStrategy") and not self._get_param("launchType"):
        service.launch_type = None
    return result


EC2ContainerServiceResponse.create_service = _create_service  # type: ignore[method-assign]

# --- Application Auto Scaling RegisterScalableTarget: tags given at registration must be listed afterwards.
_moto_register_scalable_target = ApplicationAutoScalingResponse.register_scalable_target


def _register_scalable_target(self: ApplicationAutoScalingResponse) -> str:
    body = _moto_register_scalable_target(self)
    tags = self._get_param("Tags")
    if tags:
        _TAGS[json.loads(body)["ScalableTargetARN"]].update(tags)
    return body


ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target  # type: ignore[method-assign]

# --- EC2 security group rules that reference another group: moto returns their Description only for CIDR rules.
from moto.ec2.models.security_groups import SecurityGroupRule  # noqa: E402

SecurityGroupRule.description = property(  # type: ignore[assignment]
    lambda self: self.ip_range.get("Description") or self.source_group.get("Description")
)

# --- Snapshots of the whole state, for warm starts (see snapshots.py; this script's directory is on sys.path).
import snapshots  # noqa: E402

snapshots.install(extra={"application_autoscaling_tags": _TAGS})

# --- IAM enforcement for requests moto authorises against resource "*" (see iam_resources.py).
import iam_resources  # noqa: E402

iam_resources.install()

if __name__ == "__main__":
    sys.exit(main())
