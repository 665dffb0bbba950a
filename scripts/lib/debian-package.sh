# Sourced by scripts/*-deps.sh: make sure a Debian package a group of tests needs is installed.
#
#   have() { …; }    # the caller says how to tell the package is there (a file, a command)
#   ensure_package SCRIPT PACKAGE "WHAT FOR" [apt-get install options…]
#
# Returns 0 when `have` says yes. Otherwise, as root, installs PACKAGE with apt-get (saying so first; apt-get update and
# one retry if the first install fails), never letting apt start a packaged service; not root, prints the apt-get line
# to run and returns 1.
ensure_package() {
  local script=$1 package=$2 purpose=$3
  shift 3
  if have; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$script: $package is missing; run: sudo apt-get install -y $* $package" >&2
    return 1
  fi
  echo "$script: installing Debian's $package (as root) $purpose"
  export DEBIAN_FRONTEND=noninteractive
  apt_install "$package" "$@" || { apt-get update -q >/dev/null 2>&1 && apt_install "$package" "$@"; }
  if have; then
    return 0
  fi
  echo "$script: could not install $package (apt-get install $package failed)" >&2
  return 1
}

# apt-get install with a policy-rc.d that refuses service starts: tests start their own servers on free ports.
apt_install() {
  local package=$1 policy=/usr/sbin/policy-rc.d created=0 rc
  shift
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1; fi
  apt-get install -y -q "$@" "$package" >/dev/null 2>&1
  rc=$?
  [ "$created" -eq 1 ] && rm -f "$policy"
  return $rc
}
