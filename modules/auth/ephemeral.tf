# The session key's random value. Alone in this file: tfsec 1.28 (in maintenance) predates ephemeral blocks and
# cannot parse them, so its run in test/infra/modules.test.ts skips files it cannot parse (--ignore-hcl-errors)
# and checks that this file is the only one; every resource of the module is in files it reads.
#
# A random value from Secrets Manager itself (GetRandomPassword), opened anew on every plan and apply and never
# stored: it reaches AWS only through the write-only secret_string_wo, which is sent when the version is created.
ephemeral "aws_secretsmanager_random_password" "session" {
  password_length     = 64
  exclude_punctuation = true
}
