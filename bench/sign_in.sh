# Sourced by the benchmarks: signing in to a running Orientir as a demo account, the way a browser
# does (the sign-in page's token, then the form's post), keeping the session in a cookie jar.

# The CSRF token of the first form on the page at URL, read with the cookies of JAR.
csrf_of() {
  curl -s -b "$2" -c "$2" "$1" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'
}

# sign_in BASE JAR LOGIN: signs the demo account LOGIN in; JAR then holds its session.
sign_in() {
  local token
  token=$(csrf_of "$1/login" "$2")
  curl -s -b "$2" -c "$2" -o /dev/null --data-urlencode "login=$3" --data-urlencode "password=$3-demo-2026" \
    --data-urlencode "_csrf=$token" "$1/session"
}
