import { CONFIG_VARIABLES } from '../config/config.ts'

export const MAIN_HELP = `parley: self-hosted LivePerson-compatible chat server

Usage: parley <command> [options]

Commands:
  serve                      start the server (what \`npm start\` runs)
  migrate                    apply database migrations
  account create             create an account with an admin user, an app key and an API key
  account list               list accounts
  appkey create              add a visitor app key to an account
  apikey create              add an OAuth 1.0a API key to an account

Common options:
  --database URL             SQLite file, sqlite:PATH or postgres://... (env PARLEY_DATABASE_URL)
  --json                     machine-readable output (create and list commands)
  -h, --help                 show help

Examples:
  parley serve --port 8080 --public-url https://chat.example.com
  parley serve --host 0.0.0.0 --tls-port 8443 --tls-cert cert.pem --tls-key key.pem
  parley migrate --database postgres://parley@localhost/parley
  parley account create --id acme --name "Acme Inc." --admin-user admin --admin-password 's3cret-pass' --json
  parley account list --json
  parley appkey create --account acme --json
  parley apikey create --account acme --json
`

export const SERVE_HELP = `Usage: parley serve [options]

Options (flags override environment variables):
${CONFIG_VARIABLES.map(([variable, flag, fallback, description]) => `  ${(flag || '').padEnd(14)} ${variable.padEnd(31)} ${description} (default: ${fallback || 'none'})`).join('\n')}

Examples:
  parley serve
  parley serve --no-demo --database postgres://parley@localhost/parley
  PARLEY_PORT=9000 PARLEY_LOG_LEVEL=debug parley serve
`

export const ACCOUNT_CREATE_HELP = `Usage: parley account create --id ID --admin-user LOGIN --admin-password PASSWORD [--name NAME] [--time-zone ZONE] [--json]

Creates an account (id: 1-20 letters, digits, underscores) with an Admin user, one visitor app key
and one API key (OAuth 1.0a consumer key/secret and access token/secret). An existing id is an error.

Example:
  parley account create --id acme --admin-user admin --admin-password 's3cret-pass' --json
`
