"""Start moto's server with the few AWS API handlers this project needs that moto does not implement yet.

Application Auto Scaling's ListTagsForResource/TagResource/UntagResource are missing from moto 5.2.x; the AWS
provider retries them forever, so aws_appautoscaling_target would hang. Each handler is added only when moto
lacks it, so a moto release that implements them takes over unchanged.
"""

import json
import sys
from collections import defaultdict

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.server import main

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

if __name__ == "__main__":
    sys.exit(main())
