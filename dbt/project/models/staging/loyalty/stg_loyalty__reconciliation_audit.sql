with

source as (

    select * from {{ source('loyalty', 'reconciliation_audit') }}

),

renamed as (

    select

        ---------- ids
        business_key,

        ---------- numerics
        realtime_points,
        legacy_points,

        ---------- text
        resolution,

        ---------- timestamps
        decided_at,
        written_at

    from source

)

select * from renamed
