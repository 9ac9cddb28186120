from core.toolkit import hookimpl


@hookimpl
def balai_routez(router):  # misspelled on purpose
    pass
