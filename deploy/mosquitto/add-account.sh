#!/usr/bin/env bash
# Adds (or replaces) one account in a mosquitto password file with a fresh random password and
# prints the password once, for commissioning; it is stored only as a salted hash.
#   deploy/mosquitto/add-account.sh PASSWD_FILE USER_NAME
# A device's user name is its serial (1..32 of A-Z a-z 0-9 - _): the ACL's %u patterns rely on it.
set -euo pipefail
file=${1:?usage: add-account.sh PASSWD_FILE USER_NAME}
user=${2:?usage: add-account.sh PASSWD_FILE USER_NAME}
if ! [[ $user =~ ^[A-Za-z0-9_-]{1,32}$ ]]; then
  echo "user name must be 1..32 of A-Z a-z 0-9 - _" >&2
  exit 2
fi
# 24 random bytes, base64 without characters a shell or a config tool might mangle.
password=$(openssl rand -base64 24 | tr -d '/+=\n')
[ -f "$file" ] || { touch "$file"; chmod 600 "$file"; }
mosquitto_passwd -b "$file" "$user" "$password"
echo "$user $password"
