#!/usr/bin/env bash
# Writes lojal/languages/lojal.pot (or the file named by $1) from the plugin's PHP files with GNU xgettext
# (Debian: apt-get install gettext), with WordPress's translation functions as keywords, plus the plugin header's
# name and description (WordPress translates them with the plugin's text domain).
# Then update each .po with: msgmerge --update --backup=none lojal/languages/lojal-pl_PL.po lojal/languages/lojal.pot
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/lojal"
out=${1:-languages/lojal.pot}
find . -name '*.php' | LC_ALL=C sort | xargs xgettext --language=PHP --from-code=UTF-8 --add-comments=translators: \
  --sort-by-file --no-wrap --package-name='Lojal loyalty points' --package-version="$(sed -n "s/^ \* Version: *//p" lojal.php)" \
  --msgid-bugs-address='' --copyright-holder='Lojal' \
  -k -k__ -k_e -k_n:1,2 -k_x:1,2c -k_ex:1,2c -k_nx:4c,1,2 -kesc_attr__ -kesc_html__ -kesc_attr_e -kesc_html_e \
  -kesc_attr_x:1,2c -kesc_html_x:1,2c -k_n_noop:1,2 -k_nx_noop:3c,1,2 -o "$out"
{
  printf '\n#. Plugin Name of the plugin\n#: lojal.php\nmsgid "%s"\nmsgstr ""\n' "$(sed -n 's/^ \* Plugin Name: *//p' lojal.php)"
  printf '\n#. Description of the plugin\n#: lojal.php\nmsgid "%s"\nmsgstr ""\n' "$(sed -n 's/^ \* Description: *//p' lojal.php)"
} >> "$out"
