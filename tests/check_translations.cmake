# Every string of the app that goes through tr() has a Simplified Chinese translation: lupdate scans
# app/ into a copy of the zh_CN .ts file, and any entry it adds (or finds) unfinished fails the test.
# A new string is translated with `cmake --build build --target update_translations` and an edit of
# resources/translations/quantlens_zh_CN.ts.
#   cmake -DLUPDATE=... -DSOURCES=<app dir> -DTS=<zh_CN .ts> -DWORK=<scratch dir> -P check_translations.cmake
file(MAKE_DIRECTORY ${WORK})
set(copy ${WORK}/quantlens_zh_CN.ts)
file(COPY_FILE ${TS} ${copy})
execute_process(COMMAND ${LUPDATE} -no-obsolete -locations none ${SOURCES} -ts ${copy}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lupdate failed (${rc}): ${out} ${err}")
endif()
file(READ ${copy} ts)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*<translation type=\"unfinished\"" missing "${ts}")
list(LENGTH missing n)
if(n GREATER 0)
  string(REGEX REPLACE "</source>[ \n]*<translation type=\"unfinished\"" "" missing "${missing}")
  string(REPLACE "<source>" "\n  " missing "${missing}")
  message(FATAL_ERROR "${n} string(s) of app/ without a zh_CN translation in ${TS}:${missing}")
endif()
message(STATUS "every tr() string of app/ has a zh_CN translation")
